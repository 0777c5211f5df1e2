// The CSV trace: exact text, exact round trips in both directions, and
// messages naming file:line:column for every kind of bad row.
#include <gtest/gtest.h>

#include "models/core/error.h"
#include "models/workload/trace_io.h"
#include "tests/unit/workload/trace_io_test_util.h"

namespace tessera::workload {
namespace {

using testing::read_bytes;
using testing::ScratchDir;
using testing::small_trace;
using testing::write_bytes;

// The golden CSV of small_trace(), shared with the CLI tests.
const std::string kSmallCsv =
    read_bytes(std::string(TESSERA_SOURCE_DIR) + "/tests/golden/small_trace.csv");

std::string read_error(const std::filesystem::path& path) {
  try {
    read_trace(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(TraceCsv, WritesTheDocumentedText) {
  ScratchDir dir("csv-golden");
  write_trace(small_trace(), dir / "t.csv");
  EXPECT_EQ(read_bytes(dir / "t.csv"), kSmallCsv);
}

TEST(TraceCsv, ReadsTheDocumentedText) {
  ScratchDir dir("csv-read");
  write_bytes(dir / "t.csv", kSmallCsv);
  testing::expect_same_trace(small_trace(), read_trace(dir / "t.csv"));
}

TEST(TraceCsv, AcceptsWindowsLineEndingsAndBlankLines) {
  ScratchDir dir("csv-crlf");
  std::string crlf;
  for (char c : kSmallCsv) {
    if (c == '\n')
      crlf += "\r\n";
    else
      crlf += c;
  }
  write_bytes(dir / "t.csv", crlf + "\r\n");
  testing::expect_same_trace(small_trace(), read_trace(dir / "t.csv"));
}

TEST(TraceCsv, QuotesNamesWithCommasAndQuotes) {
  ScratchDir dir("csv-quotes");
  Trace t = small_trace();
  t.tensors[1].name = "w, \"the\" weight";
  t.ops[0].name = " padded ";
  write_trace(t, dir / "t.csv");
  const std::string text = read_bytes(dir / "t.csv");
  EXPECT_NE(text.find("# tensor,1,\"w, \"\"the\"\" weight\",weight,512,256\n"), std::string::npos);
  EXPECT_NE(
      text.find("1,1,\"w, \"\"the\"\" weight\",weight,512,256,read,0,\" padded \",gemm,0,256\n"),
      std::string::npos);
  testing::expect_same_trace(t, read_trace(dir / "t.csv"));
}

TEST(TraceCsv, RoundTripsSeededRandomTracesBothWays) {
  ScratchDir dir("csv-random");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Trace t = testing::random_trace(seed, 300);
    // binary -> CSV -> binary: identical bytes.
    write_trace(t, dir / "a.tst");
    write_trace(read_trace(dir / "a.tst"), dir / "a.csv");
    write_trace(read_trace(dir / "a.csv"), dir / "b.tst");
    EXPECT_EQ(read_bytes(dir / "a.tst"), read_bytes(dir / "b.tst")) << "seed " << seed;
    // CSV -> trace -> CSV: identical text.
    write_trace(read_trace(dir / "a.csv"), dir / "b.csv");
    EXPECT_EQ(read_bytes(dir / "a.csv"), read_bytes(dir / "b.csv")) << "seed " << seed;
    testing::expect_same_trace(t, read_trace(dir / "b.csv"));
  }
}

// Replaces the first occurrence of `from` in the small CSV and returns the
// reader's message.
std::string error_after_edit(const ScratchDir& dir, const std::string& from,
                             const std::string& to) {
  std::string text = kSmallCsv;
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  write_bytes(dir / "t.csv", text);
  return read_error(dir / "t.csv");
}

TEST(TraceCsv, NamesLineColumnAndWhatWasExpected) {
  ScratchDir dir("csv-errors");
  const std::string p = (dir / "t.csv").string();
  // Line 14 is event 1: "1,1,w,weight,512,256,read,0,fc0,gemm,0,256"; columns counted from 1.
  EXPECT_EQ(error_after_edit(dir, "1,1,w,weight,512,", "1,1,w,weight,5x2,"),
            p + ":14:14: bytes: expected an unsigned integer, found '5x2'");
  EXPECT_EQ(error_after_edit(dir, "1,1,w,weight,512,256,read", "1,1,w,weight,512,256,rd"),
            p + ":14:22: kind: expected read or write, found 'rd'");
  EXPECT_EQ(error_after_edit(dir, "1,1,w,", "1,1,v,"),
            p + ":14:5: tensor: expected 'w' (tensor 1's name in the table), found 'v'");
  EXPECT_EQ(error_after_edit(dir, "1,1,w,weight,512,256,read,0,fc0,gemm,0,256",
                             "1,1,w,weight,512,256,read,0,fc0,gemm,1,256"),
            p + ":14:38: layer: expected '0' (op 0's layer in the table), found '1'");
  EXPECT_EQ(
      error_after_edit(dir, "1,1,w,", "1,7,w,"),
      p + ":14:3: tensor_id: expected a tensor id below 3 (the tensor table's size), found '7'");
  EXPECT_EQ(error_after_edit(dir, "1,1,w,", "2,1,w,"),
            p + ":14:1: seq: expected 1 (events are numbered from 0 in order), found '2'");
  EXPECT_EQ(error_after_edit(dir, "1,1,w,weight,512,256,", "1,1,w,weight,512,0,"),
            p + ":14:18: address: expected an access inside tensor 1 (512 bytes at address 256) "
                "for 512 bytes, found '0'");
  EXPECT_EQ(error_after_edit(dir, "1,1,w,weight,512,256,read,0,fc0,gemm,0,256\n",
                             "1,1,w,weight,512,256,read,0,fc0,gemm,0\n"),
            p + ":14:1: expected 12 fields (seq,tensor_id,tensor,role,bytes,address,kind,op_id,op,"
                "op_kind,layer,flops), found 11");
  EXPECT_EQ(
      error_after_edit(dir, "1,1,w,", "1,1,\"w,"),
      p + ":14:5: expected a closing '\"' for the field opened here, found the end of the line");
  // Table lines: columns count from the '#'.
  EXPECT_EQ(
      error_after_edit(dir, "# tensor,1,w,weight,", "# tensor,1,w,wait,"),
      p + ":7:14: role: expected weight, activation, kv_cache, input or output, found 'wait'");
  EXPECT_EQ(error_after_edit(dir, "# tensor,1,", "# tensor,5,"),
            p + ":7:10: id: expected tensor id 1 (ids count up from 0), found '5'");
  EXPECT_EQ(error_after_edit(dir, "# op,1,act0,elementwise,0,8,1,8,1,1,4",
                             "# op,1,act0,elementwise,0,8,1,8,1,1,3"),
            p + ":11:37: dtype_bytes: expected 1, 2, 4 or 8, found '3'");
  EXPECT_EQ(error_after_edit(dir, "# op,1,act0,elementwise", "# op,1,act0,elementwize"),
            p + ":11:13: kind: expected one of gemm, batched_gemm, conv2d, pool, elementwise, "
                "softmax, layernorm, embedding, reduction, router, attention, found 'elementwize'");
  EXPECT_EQ(error_after_edit(dir, "# seed,7\n", "# sed,7\n"),
            p + ":4:3: expected a table line (model, family, seed, tensor_columns, tensor, "
                "op_columns, op), found 'sed'");
  EXPECT_EQ(error_after_edit(dir, "# seed,7\n", ""),
            p + ":11:1: expected '# model', '# family' and '# seed' lines before the event "
                "header, found seed missing");
  EXPECT_EQ(error_after_edit(dir, "seq,tensor_id,", "seq,tensorid,"),
            p + ":12:1: expected a '# ' table line or the event header 'seq,tensor_id,tensor,role,"
                "bytes,address,kind,op_id,op,op_kind,layer,flops', found 'seq,tensorid,tensor,role,"
                "bytes,address,kind,op_id,op,op_kind...'");
  EXPECT_EQ(error_after_edit(dir, "# model,tiny\n", "# model,ti\tny\n"),
            p + ":2:9: value: expected a name without control characters, found 'ti\\x09ny'");
}

TEST(TraceCsv, UnrecognisedFirstLine) {
  ScratchDir dir("csv-first");
  write_bytes(dir / "t.csv", "a,b,c\n1,2,3\n");
  EXPECT_EQ(read_error(dir / "t.csv"),
            (dir / "t.csv").string() +
                ":1:1: expected '# tessera-trace-csv,1' (a Tessera CSV trace) or "
                "'tensor_id,size_mb,reuse_distance,stride,op,model_type' (a legacy CSV trace) as "
                "the first line, found 'a,b,c'");
}

TEST(TraceCsv, HeaderOnlyFileIsAnEmptyTrace) {
  ScratchDir dir("csv-empty");
  write_trace(Trace{}, dir / "e.csv");
  const Trace t = read_trace(dir / "e.csv");
  EXPECT_TRUE(t.tensors.empty());
  EXPECT_TRUE(t.events.empty());
}

}  // namespace
}  // namespace tessera::workload
