// Command pgready exits 0 when the PostgreSQL server at the URL given as its
// argument accepts a connection and a query, and prints why not otherwise.
// scripts/test uses it before the PostgreSQL store suite.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pgready postgres://…")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", os.Args[1])
	if err == nil {
		defer db.Close()
		var one int
		err = db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgready:", err)
		os.Exit(1)
	}
}
