#include "server/domain/signed_note.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

namespace redress::domain {
namespace {

using ::testing::HasSubstr;

constexpr char kText[] = "complaints.example.com/redress\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

std::string Signed(const CheckpointSigner& signer, const std::string& name,
                   const std::string& text = kText) {
  Note n;
  n.text = text;
  n.signatures.push_back(*SignNoteText(text, name, signer));
  return FormatNote(n);
}

TEST(SignedNoteTest, KnownKeyHashAndVerifierKey) {
  // The key of Go's golang.org/x/mod/sumdb/note documentation example:
  // PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW.
  std::string key;
  ASSERT_TRUE(absl::Base64Unescape("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &key));
  ASSERT_EQ(key.size(), 33u);
  EXPECT_EQ(absl::BytesToHexString(NoteKeyHash("PeterNeumann", key.substr(1))), "c74f20a3");
  EXPECT_EQ(FormatVerifierKey("PeterNeumann", key.substr(1)),
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  auto v = ParseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->raw_public_key, key.substr(1));
}

TEST(SignedNoteTest, BadVerifierKeysAreRefused) {
  for (const char* bad : {"", "a+b", "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                          "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                          "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                          "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                          "PeterNeumann+c74f20a3+AhpczZBxQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY="}) {
    EXPECT_EQ(ParseVerifierKey(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(SignedNoteTest, SignOpenAndIgnoreUnknownSignatures) {
  auto log = CheckpointSigner::Generate();
  auto witness = CheckpointSigner::Generate();
  const NoteVerifier lv = *ParseVerifierKey(FormatVerifierKey("log.example", log->raw_public_key()));
  const NoteVerifier wv =
      *ParseVerifierKey(FormatVerifierKey("witness.example", witness->raw_public_key()));
  Note n;
  n.text = kText;
  n.signatures.push_back(*SignNoteText(kText, "log.example", *log));
  n.signatures.push_back(*SignNoteText(kText, "witness.example", *witness));
  const std::string note = FormatNote(n);
  EXPECT_THAT(note, HasSubstr("\n\n\xe2\x80\x94 log.example "));
  auto both = OpenNote(note, {lv, wv});
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->text, kText);
  EXPECT_EQ(both->verified_by.size(), 2u);
  auto only_log = OpenNote(note, {lv});
  ASSERT_TRUE(only_log.ok());
  EXPECT_EQ(only_log->unknown_signatures, 1u);
  // Same name, other key: unknown, so not a known signature at all.
  auto other = CheckpointSigner::Generate();
  const NoteVerifier ov = *ParseVerifierKey(FormatVerifierKey("log.example", other->raw_public_key()));
  EXPECT_EQ(OpenNote(note, {ov}).status().code(), absl::StatusCode::kNotFound);
}

TEST(SignedNoteTest, TamperingAndMalformedNotes) {
  auto log = CheckpointSigner::Generate();
  const NoteVerifier lv = *ParseVerifierKey(FormatVerifierKey("log.example", log->raw_public_key()));
  std::string note = Signed(*log, "log.example");
  std::string tampered = note;
  tampered[note.find("\n5\n") + 1] = '6';
  EXPECT_EQ(OpenNote(tampered, {lv}).status().code(), absl::StatusCode::kDataLoss);
  for (const std::string& bad : {std::string(kText), std::string(kText) + "\n",
                                 std::string(kText) + "\n- log.example AAAA\n",
                                 std::string(kText) + "\n\xe2\x80\x94 log.example !!!\n",
                                 note.substr(0, note.size() - 1),
                                 std::string("bad \xff utf-8\n\n") + note.substr(note.find("\xe2\x80\x94")),
                                 std::string("a\x01\n\n") + note.substr(note.find("\xe2\x80\x94"))}) {
    EXPECT_EQ(ParseNote(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // More than kMaxNoteSignatures lines.
  Note many;
  many.text = kText;
  for (size_t i = 0; i <= kMaxNoteSignatures; ++i) {
    many.signatures.push_back(*SignNoteText(kText, "log.example", *log));
  }
  EXPECT_EQ(ParseNote(FormatNote(many)).status().code(), absl::StatusCode::kInvalidArgument);
}

// Interoperability with an independent implementation: Go's
// golang.org/x/mod/sumdb/note, through tests/tlog/note_tool.go.
std::string Shell(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

std::string WriteTemp(const std::string& contents) {
  char path[] = "/tmp/redress-note-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(SignedNoteInteropTest, GoOpensOurNotesAndWeOpenGos) {
  const std::string tool = REDRESS_NOTE_TOOL;
  if (tool.empty()) GTEST_SKIP() << "go is not installed: note_tool was not built";
  auto log = CheckpointSigner::Generate();
  const std::string vkey = FormatVerifierKey("complaints.example.com/redress", log->raw_public_key());
  const std::string ours = WriteTemp(Signed(*log, "complaints.example.com/redress"));
  int status = -1;
  EXPECT_EQ(Shell(tool + " open '" + vkey + "' " + ours, &status), kText);
  EXPECT_EQ(status, 0);
  // A tampered note is refused by Go as well.
  std::string bad = Signed(*log, "complaints.example.com/redress");
  bad[bad.find("\n5\n") + 1] = '7';
  const std::string tampered = WriteTemp(bad);
  Shell(tool + " open '" + vkey + "' " + tampered + " 2>/dev/null", &status);
  EXPECT_NE(status, 0);

  const std::string text = WriteTemp(kText);
  const std::string go = Shell(tool + " sign witness.example/w1 " + text, &status);
  ASSERT_EQ(status, 0);
  const size_t nl = go.find('\n');
  ASSERT_NE(nl, std::string::npos);
  auto gv = ParseVerifierKey(go.substr(0, nl));
  ASSERT_TRUE(gv.ok()) << gv.status() << " " << go.substr(0, nl);
  auto opened = OpenNote(go.substr(nl + 1), {*gv});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->text, kText);
  for (const std::string& f : {ours, tampered, text}) std::remove(f.c_str());
}

}  // namespace
}  // namespace redress::domain
