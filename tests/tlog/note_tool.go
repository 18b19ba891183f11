// note_tool: a third-party check of Redress's signed notes, using Go's
// golang.org/x/mod/sumdb/note (Debian: golang-golang-x-mod-dev). Built
// offline by tests/CMakeLists.txt:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o note_tool note_tool.go
//
// Usage:
//
//	note_tool open VKEY NOTE_FILE     prints the note's text if a signature by
//	                                  VKEY verifies (exit 0), else the error (exit 1)
//	note_tool sign NAME TEXT_FILE     generates a key NAME, prints its verifier
//	                                  key on the first line, then the signed note
package main

import (
	"crypto/rand"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "note_tool:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 4 {
		fail(fmt.Errorf("usage: note_tool open VKEY NOTE_FILE | sign NAME TEXT_FILE"))
	}
	data, err := os.ReadFile(os.Args[3])
	if err != nil {
		fail(err)
	}
	switch os.Args[1] {
	case "open":
		v, err := note.NewVerifier(os.Args[2])
		if err != nil {
			fail(err)
		}
		n, err := note.Open(data, note.VerifierList(v))
		if err != nil {
			fail(err)
		}
		fmt.Print(n.Text)
	case "sign":
		skey, vkey, err := note.GenerateKey(rand.Reader, os.Args[2])
		if err != nil {
			fail(err)
		}
		s, err := note.NewSigner(skey)
		if err != nil {
			fail(err)
		}
		msg, err := note.Sign(&note.Note{Text: string(data)}, s)
		if err != nil {
			fail(err)
		}
		fmt.Println(vkey)
		os.Stdout.Write(msg)
	default:
		fail(fmt.Errorf("unknown command %q", os.Args[1]))
	}
}
