package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// Sealer encrypts what a source gives for later checks (an OIDC refresh
// token) before it is stored, so that a copy of the database does not carry
// credentials for the identity system. Every server of one deployment must
// use the same key.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a sealer with a key derived from secret, which must be at
// least 16 bytes (the configured key, or the OIDC client secret).
func NewSealer(secret string) (*Sealer, error) {
	if len(secret) < 16 {
		return nil, errors.New("identity: the sealing secret must be at least 16 bytes")
	}
	key := sha256.Sum256([]byte("duban identity seal\x00" + secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts s; "" stays "".
func (x *Sealer) Seal(s string) string {
	if s == "" {
		return ""
	}
	nonce := make([]byte, x.aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(x.aead.Seal(nonce, nonce, []byte(s), nil))
}

// Open decrypts what Seal gave; "" stays "". A value sealed with another key
// or changed is an error.
func (x *Sealer) Open(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < x.aead.NonceSize() {
		return "", errors.New("identity: sealed value is malformed")
	}
	n := x.aead.NonceSize()
	out, err := x.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", fmt.Errorf("identity: sealed value does not open (another key?): %w", err)
	}
	return string(out), nil
}
