#include "server/domain/signed_note.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/domain/sha256.h"
#include "server/domain/unicode_text.h"

namespace redress::domain {
namespace {

constexpr char kAlgEd25519 = 0x01;
constexpr char kDash[] = "\xe2\x80\x94 ";  // U+2014 EM DASH, space

bool StrictBase64(absl::string_view text, std::string* out) {
  return absl::Base64Unescape(text, out) && absl::Base64Escape(*out) == text;
}

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("signed note: ", what));
}

absl::Status CheckText(absl::string_view text) {
  if (text.empty() || text.back() != '\n') return Bad("the text must end in a newline");
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) return Bad("the text is not UTF-8");
    if (IsControlCodePoint(cp) && cp != '\n') return Bad("the text holds a control character");
    i += n;
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidNoteKeyName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == '+') return false;
  }
  return true;
}

std::string NoteKeyHash(absl::string_view name, absl::string_view raw_public_key) {
  const std::string digest =
      Sha256Raw(absl::StrCat(name, "\n", std::string(1, kAlgEd25519), raw_public_key));
  return digest.substr(0, 4);
}

std::string FormatVerifierKey(absl::string_view name, absl::string_view raw_public_key) {
  return absl::StrCat(name, "+", absl::BytesToHexString(NoteKeyHash(name, raw_public_key)), "+",
                      absl::Base64Escape(absl::StrCat(std::string(1, kAlgEd25519), raw_public_key)));
}

absl::StatusOr<NoteVerifier> ParseVerifierKey(absl::string_view vkey) {
  // The name holds no '+'; the base64 key may.
  const std::vector<absl::string_view> parts = absl::StrSplit(vkey, absl::MaxSplits('+', 2));
  if (parts.size() != 3) return absl::InvalidArgumentError("verifier key: expected name+hash+key");
  NoteVerifier v;
  v.name = std::string(parts[0]);
  if (!IsValidNoteKeyName(v.name)) return absl::InvalidArgumentError("verifier key: invalid name");
  if (parts[1].size() != 8) {
    return absl::InvalidArgumentError("verifier key: the key hash must be 8 hex characters");
  }
  for (char c : parts[1]) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return absl::InvalidArgumentError("verifier key: the key hash must be lower-case hex");
    }
  }
  std::string key;
  if (!StrictBase64(parts[2], &key) || key.empty()) {
    return absl::InvalidArgumentError("verifier key: the key is not base64");
  }
  if (key[0] != kAlgEd25519) {
    return absl::InvalidArgumentError("verifier key: unknown algorithm (only Ed25519, 0x01)");
  }
  if (key.size() != 33) return absl::InvalidArgumentError("verifier key: an Ed25519 key is 32 bytes");
  v.raw_public_key = key.substr(1);
  v.key_hash = NoteKeyHash(v.name, v.raw_public_key);
  if (absl::BytesToHexString(v.key_hash) != parts[1]) {
    return absl::InvalidArgumentError("verifier key: the key hash does not match name and key");
  }
  return v;
}

absl::StatusOr<Note> ParseNote(absl::string_view note) {
  // The text ends at the last "\n\n": signature lines hold no blank line.
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) return Bad("no blank line before the signatures");
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  if (absl::Status st = CheckText(out.text); !st.ok()) return st;
  absl::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return Bad("the signatures must end in a newline");
  sigs.remove_suffix(1);
  for (absl::string_view line : absl::StrSplit(sigs, '\n')) {
    if (out.signatures.size() == kMaxNoteSignatures) {
      return Bad(absl::StrCat("more than ", kMaxNoteSignatures, " signatures"));
    }
    if (!absl::ConsumePrefix(&line, kDash)) return Bad("a signature line must start with \"\u2014 \"");
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) return Bad("a signature line needs a name and a signature");
    NoteSignature sig;
    sig.name = std::string(line.substr(0, space));
    if (!IsValidNoteKeyName(sig.name)) return Bad("invalid key name in a signature line");
    std::string blob;
    if (!StrictBase64(line.substr(space + 1), &blob) || blob.size() < 5) {
      return Bad("a signature is not base64 of key hash and signature");
    }
    sig.key_hash = blob.substr(0, 4);
    sig.signature = blob.substr(4);
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

std::string FormatNote(const Note& note) {
  std::string out = note.text;
  out += "\n";
  for (const NoteSignature& s : note.signatures) {
    absl::StrAppend(&out, kDash, s.name, " ", absl::Base64Escape(s.key_hash + s.signature), "\n");
  }
  return out;
}

absl::StatusOr<NoteSignature> SignNoteText(absl::string_view text, absl::string_view name,
                                           const CheckpointSigner& signer) {
  if (!IsValidNoteKeyName(name)) return Bad("invalid key name");
  if (absl::Status st = CheckText(text); !st.ok()) return st;
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_hash = NoteKeyHash(name, signer.raw_public_key());
  sig.signature = signer.SignBytes(text);
  if (sig.signature.empty()) return absl::InternalError("signed note: signing failed");
  return sig;
}

absl::StatusOr<OpenedNote> OpenNote(absl::string_view note,
                                    absl::Span<const NoteVerifier> verifiers) {
  absl::StatusOr<Note> parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  OpenedNote out;
  out.text = parsed->text;
  for (const NoteSignature& s : parsed->signatures) {
    const NoteVerifier* known = nullptr;
    for (const NoteVerifier& v : verifiers) {
      if (v.name == s.name && v.key_hash == s.key_hash) known = &v;
    }
    if (known == nullptr) {
      ++out.unknown_signatures;
      continue;
    }
    if (!VerifyEd25519(known->raw_public_key, out.text, s.signature)) {
      return absl::DataLossError(
          absl::StrCat("signed note: the signature by ", s.name, " does not verify"));
    }
    out.verified_by.push_back(*known);
  }
  if (out.verified_by.empty()) {
    return absl::NotFoundError("signed note: no signature by a known key");
  }
  return out;
}

}  // namespace redress::domain
