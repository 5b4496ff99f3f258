// Package check holds the rules both stores apply before they write: who may
// change what, and which values are complete enough to store. Failures are
// *duban.Error values with Chinese messages.
package check
