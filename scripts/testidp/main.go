// Command testidp runs a real OpenID Connect provider for the browser tests
// (identity/testidp: zitadel's example provider with test people of
// 区发改委, 区教育局 and 区卫健委, password Ceshi-2026). It prints
// "issuer http://127.0.0.1:PORT" on stdout when it is ready, and runs until
// it is interrupted.
//
//	go run ./scripts/testidp -redirect http://127.0.0.1:8080/auth/oidc/callback
//
// POST /test/disable?user=zhangwei disables a person: they can no longer
// sign in and their refresh tokens are refused; POST /test/enable?user=…
// enables them again.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"duban/identity/testidp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on")
	redirect := flag.String("redirect", "http://127.0.0.1:8080/auth/oidc/callback", "duban's redirect URI")
	clientID := flag.String("client-id", "duban", "duban's client ID")
	secret := flag.String("client-secret", "duban-secret", "duban's client secret")
	flag.Parse()

	idp, err := testidp.Start(*addr, testidp.Config{ClientID: *clientID, ClientSecret: *secret, RedirectURIs: []string{*redirect}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "testidp:", err)
		os.Exit(1)
	}
	fmt.Println("issuer", idp.Issuer)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	idp.Close()
}
