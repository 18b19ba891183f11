// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, and
// verifier keys in the form of Go's golang.org/x/mod/sumdb/note.
//
// A signed note is its text -- UTF-8, ending in "\n" -- then one blank line,
// then one line per signature:
//
//   "\u2014 " <key name> " " base64(key hash (4 bytes) || signature) "\n"
//
// The key hash of an Ed25519 key is the first 4 bytes of
// SHA-256(name || 0x0A || 0x01 || 32-byte public key). A verifier key is
// written "<name>+<key hash, 8 lower-case hex>+base64(0x01 || public key)".
// Specification: c2sp.org/signed-note (C2SP/C2SP signed-note.md); checked
// against Go's implementation by tests/domain/signed_note_test.cc.
//
// Pure functions; thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_SIGNED_NOTE_H_
#define REDRESS_SERVER_DOMAIN_SIGNED_NOTE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "server/domain/checkpoint_signer.h"

namespace redress::domain {

// At most this many signature lines are read (the spec asks verifiers to
// accept at least 16); a note with more is malformed.
inline constexpr size_t kMaxNoteSignatures = 100;

// A key name: non-empty printable ASCII without space or '+'.
bool IsValidNoteKeyName(absl::string_view name);

// The 4-byte key hash of an Ed25519 key.
std::string NoteKeyHash(absl::string_view name, absl::string_view raw_public_key);

struct NoteVerifier {
  std::string name;
  std::string key_hash;        // 4 bytes
  std::string raw_public_key;  // 32 bytes
};

// "<name>+<hex key hash>+<base64(0x01 || key)>".
std::string FormatVerifierKey(absl::string_view name, absl::string_view raw_public_key);
// Parses the form above. INVALID_ARGUMENT naming what is wrong: bad name,
// unknown algorithm (only 0x01 Ed25519), wrong key length, or a key hash
// that does not match name and key.
absl::StatusOr<NoteVerifier> ParseVerifierKey(absl::string_view vkey);

struct NoteSignature {
  std::string name;
  std::string key_hash;   // 4 bytes
  std::string signature;  // the rest (64 bytes for Ed25519)
};

struct Note {
  std::string text;  // ends in "\n"
  std::vector<NoteSignature> signatures;
};

// Splits a signed note. INVALID_ARGUMENT when malformed: the text is empty,
// not UTF-8, holds a control character other than "\n" or does not end in
// "\n"; there is no blank line before the signatures; a signature line is
// malformed; there are no or more than kMaxNoteSignatures signatures.
absl::StatusOr<Note> ParseNote(absl::string_view note);

// The note's bytes: text, blank line, signature lines in order.
std::string FormatNote(const Note& note);

// The signature line of `signer` named `name` over `text` (a valid note
// text), ready to append to a note. INVALID_ARGUMENT for a bad name or text.
absl::StatusOr<NoteSignature> SignNoteText(absl::string_view text, absl::string_view name,
                                           const CheckpointSigner& signer);

struct OpenedNote {
  std::string text;
  std::vector<NoteVerifier> verified_by;  // in signature order
  size_t unknown_signatures = 0;          // by keys not among the verifiers (ignored)
};

// Verifies `note` against `verifiers`: signatures by unknown keys (name and
// key hash) are ignored. INVALID_ARGUMENT if malformed (ParseNote);
// DATA_LOSS if a signature by a known key does not verify; NOT_FOUND if no
// signature is by a known key.
absl::StatusOr<OpenedNote> OpenNote(absl::string_view note,
                                    absl::Span<const NoteVerifier> verifiers);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_SIGNED_NOTE_H_
