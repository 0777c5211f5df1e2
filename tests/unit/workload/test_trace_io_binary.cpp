// The binary trace format: exact layout, round trips, and rejection of every
// truncated or corrupted file with a message naming the byte offset.
#include <gtest/gtest.h>

#include <cstring>

#include "models/core/error.h"
#include "models/workload/trace_io.h"
#include "tests/unit/workload/trace_io_test_util.h"

namespace tessera::workload {
namespace {

using testing::read_bytes;
using testing::ScratchDir;
using testing::small_trace;
using testing::write_bytes;

std::uint64_t le(const std::string& bytes, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

void put_le(std::string& bytes, std::size_t at, int width, std::uint64_t v) {
  for (int i = 0; i < width; ++i) bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// The message of the InputError reading `path` throws ("" if none is thrown).
std::string read_error(const std::filesystem::path& path) {
  try {
    read_trace(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Sizes of the small trace's file, by hand:
//   header 48; model "tiny" 2+4 = 6 -> 54; family "mlp" 2+3 = 5 -> 59
//   tensors x, w, y: (2 + 1 name + 1 role + 8 bytes + 8 address) = 20 each -> 119
//   ops: fc0 = 2+3+1+1+4+5*8 = 51, act0 = 52 -> 222; padded to 224 (events offset)
//   6 events x 24 = 144 -> 368 bytes
constexpr std::size_t kEventsOffset = 224;
constexpr std::size_t kFileBytes = 368;
// Byte offsets inside that file used by the corruption tests.
constexpr std::size_t kFirstTensorRole = 59 + 2 + 1;  // after x's length and name
constexpr std::size_t kFirstOpKind = 119 + 2 + 3;     // after fc0's length and name
constexpr std::size_t kFirstOpDtype = kFirstOpKind + 1;
constexpr std::size_t kEvent(std::size_t i) {
  return kEventsOffset + 24 * i;
}

TEST(TraceBinary, LayoutMatchesTheDocumentedFormat) {
  ScratchDir dir("bin-layout");
  write_trace(small_trace(), dir / "t.tst");
  const std::string b = read_bytes(dir / "t.tst");
  ASSERT_EQ(b.size(), kFileBytes);
  EXPECT_EQ(b.substr(0, 8), std::string("\x89TST\r\n\x1a\n", 8));
  EXPECT_EQ(le(b, 8, 4), 1u);   // version
  EXPECT_EQ(le(b, 12, 4), 0u);  // flags
  EXPECT_EQ(le(b, 16, 4), 3u);  // tensors
  EXPECT_EQ(le(b, 20, 4), 2u);  // ops
  EXPECT_EQ(le(b, 24, 8), 6u);  // events
  EXPECT_EQ(le(b, 32, 8), 7u);  // seed
  EXPECT_EQ(le(b, 40, 8), kEventsOffset);
  EXPECT_EQ(le(b, 48, 2), 4u);
  EXPECT_EQ(b.substr(50, 4), "tiny");
  EXPECT_EQ(le(b, kFirstTensorRole, 1), 3u);  // x is an input
  EXPECT_EQ(le(b, kFirstTensorRole + 1, 8), 64u);
  EXPECT_EQ(le(b, kFirstOpKind, 1), 0u);   // gemm
  EXPECT_EQ(le(b, kFirstOpDtype, 1), 4u);  // fp32
  EXPECT_EQ(le(b, 222, 2), 0u);            // padding
  // Event 2: write of y (32 bytes at 768) by op 0: the write bit is bit 31.
  EXPECT_EQ(le(b, kEvent(2), 8), 768u);
  EXPECT_EQ(le(b, kEvent(2) + 8, 8), 32u);
  EXPECT_EQ(le(b, kEvent(2) + 16, 4), 2u);
  EXPECT_EQ(le(b, kEvent(2) + 20, 4), 0x80000000u);
}

TEST(TraceBinary, RoundTripsExactly) {
  ScratchDir dir("bin-roundtrip");
  const Trace t = small_trace();
  write_trace(t, dir / "t.tst");
  testing::expect_same_trace(t, read_trace(dir / "t.tst"));
}

TEST(TraceBinary, RoundTripsAnEmptyTrace) {
  ScratchDir dir("bin-empty");
  Trace t;
  write_trace(t, dir / "e.tst");
  // header 48 + two empty names 4 = 52, padded to 56; no events.
  EXPECT_EQ(read_bytes(dir / "e.tst").size(), 56u);
  testing::expect_same_trace(t, read_trace(dir / "e.tst"));
}

TEST(TraceBinary, RoundTripsSeededRandomTraces) {
  ScratchDir dir("bin-random");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Trace t = testing::random_trace(seed, 500);
    write_trace(t, dir / "r.tst");
    const Trace back = read_trace(dir / "r.tst");
    testing::expect_same_trace(t, back);
    // Writing what was read gives the same bytes.
    write_trace(back, dir / "r2.tst");
    EXPECT_EQ(read_bytes(dir / "r.tst"), read_bytes(dir / "r2.tst")) << "seed " << seed;
  }
}

// The message of the InputError reading `bytes` from memory throws.
std::string memory_error(const std::string& bytes) {
  try {
    read_binary_trace(bytes, "mem.tst");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(TraceBinary, EveryTruncationIsRejectedWithAByteOffset) {
  ScratchDir dir("bin-truncated");
  write_trace(small_trace(), dir / "full.tst");
  const std::string full = read_bytes(dir / "full.tst");
  testing::expect_same_trace(small_trace(), read_binary_trace(full, "mem.tst"));
  for (std::size_t n = 0; n < full.size(); ++n) {
    const std::string message = memory_error(full.substr(0, n));
    EXPECT_EQ(message.rfind("mem.tst: byte ", 0), 0u) << "cut at " << n << ": " << message;
  }
  // And once through a real file.
  write_bytes(dir / "cut.tst", full.substr(0, 300));
  EXPECT_EQ(read_error(dir / "cut.tst"),
            (dir / "cut.tst").string() +
                ": byte 300: expected 6 events of 24 bytes from byte 224, found the end of the "
                "file (truncated after 3 whole events)");
}

TEST(TraceBinary, EverySingleByteCorruptionIsRejectedOrHarmless) {
  // Flipping a byte either gives an InputError or a trace that is still
  // valid (a changed seed, name letter, FLOP count or in-range address);
  // never a crash, a read past the end or another exception.
  ScratchDir dir("bin-corrupt");
  write_trace(small_trace(), dir / "full.tst");
  const std::string full = read_bytes(dir / "full.tst");
  int rejected = 0;
  for (std::size_t at = 0; at < full.size(); ++at) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      std::string bad = full;
      bad[at] = static_cast<char>(bad[at] ^ mask);
      try {
        const Trace t = read_binary_trace(bad, "mem.tst");
        EXPECT_EQ(t.events.size(), 6u);
      } catch (const InputError& e) {
        ++rejected;
        EXPECT_EQ(std::string(e.what()).rfind("mem.tst: byte ", 0), 0u) << e.what();
      }
    }
  }
  EXPECT_GT(rejected, 300);
}

TEST(TraceBinary, NamesWhatIsWrongAndWhere) {
  ScratchDir dir("bin-messages");
  write_trace(small_trace(), dir / "full.tst");
  const std::string full = read_bytes(dir / "full.tst");
  const auto path = dir / "bad.tst";
  const std::string p = path.string();
  const auto check = [&](std::size_t at, int width, std::uint64_t value, const std::string& want) {
    std::string bad = full;
    put_le(bad, at, width, value);
    write_bytes(path, bad);
    EXPECT_EQ(read_error(path), p + ": byte " + want);
  };
  check(0, 1, 'X',
        "0: expected a Tessera binary trace (magic 89 54 53 54 0D 0A 1A 0A), found other bytes");
  check(8, 4, 2,
        "8: expected trace format version 1, found version 2 (written by a newer Tessera; "
        "convert it with the version that wrote it)");
  check(12, 4, 1, "12: flags: expected 0, found 1");
  check(kFirstTensorRole, 1, 9,
        std::to_string(kFirstTensorRole) +
            ": tensor 0 role: expected 0..4 (weight, activation, kv_cache, "
            "input, output), found 9");
  check(kFirstOpKind, 1, 200,
        std::to_string(kFirstOpKind) + ": op 0 kind: expected 0..10, found 200");
  check(kFirstOpDtype, 1, 3,
        std::to_string(kFirstOpDtype) + ": op 0 dtype bytes: expected 1, 2, 4 or 8, found 3");
  check(61, 1, '\t',
        "61: tensor 0 name: expected a name without control characters, found byte "
        "0x09 (name of 1 bytes starting at byte 61)");
  check(kEvent(4) + 16, 4, 3,
        std::to_string(kEvent(4) + 16) + ": event 4 tensor id: expected 0..2, found 3");
  check(kEvent(5) + 20, 4, 0x80000002u,
        std::to_string(kEvent(5) + 20) + ": event 5 op id: expected 0..1, found 2");
  // Event 3 reads 16 bytes of y at 768; at 784 + 16 = 800 they would overrun y (768..800) by 16.
  check(kEvent(3), 8, 800,
        std::to_string(kEvent(3)) +
            ": event 3: expected an access inside tensor 2 (32 bytes at address "
            "768), found 16 bytes at address 800");
  check(222, 1, 5, "222: padding: expected 0, found 5");
  check(40, 8, 230,
        "40: events offset: expected a multiple of 8 between 56 and the file size 368, "
        "found 230");
  check(24, 8, 7,
        "368: expected 7 events of 24 bytes from byte 224, found the end of the file "
        "(truncated after 6 whole events)");
  check(24, 8, 5, "344: expected the end of the file after 5 events, found 24 more bytes");
  check(16, 4, 1000000,
        "16: tensor and op counts: expected at most 176 bytes of tables, found "
        "counts 1000000 and 2 that need at least 19000096");
}

TEST(TraceBinary, MissingFileIsAnInputError) {
  ScratchDir dir("bin-missing");
  EXPECT_EQ(read_error(dir / "none.tst"),
            (dir / "none.tst").string() + ": expected a readable trace file, found none");
}

TEST(TraceBinary, UnknownExtensionIsSniffedByMagic) {
  ScratchDir dir("bin-sniff");
  write_trace(small_trace(), dir / "t.tst");
  std::filesystem::copy_file(dir / "t.tst", dir / "t.bin");
  testing::expect_same_trace(small_trace(), read_trace(dir / "t.bin"));
  write_bytes(dir / "notes.txt", "hello");
  EXPECT_EQ(read_error(dir / "notes.txt"),
            (dir / "notes.txt").string() +
                ": expected a trace file name ending in .tst (binary), .csv or .legacy.csv, found "
                "'.txt'");
}

TEST(TraceBinary, RefusesToWriteAnInconsistentTraceAndLeavesNoFile) {
  ScratchDir dir("bin-refuse");
  Trace t = small_trace();
  t.events[1].tensor_id = 9;
  try {
    write_trace(t, dir / "t.tst");
    FAIL() << "expected a RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "t.tst").string() +
                                         ": refusing to write an inconsistent trace: event 1 "
                                         "names tensor 9 of 3");
  }
  EXPECT_TRUE(dir.files().empty());
}

TEST(TraceBinary, OverwritesAtomically) {
  ScratchDir dir("bin-atomic");
  write_trace(small_trace(), dir / "t.tst");
  Trace bad = small_trace();
  bad.ops[0].dtype_bytes = 3;
  EXPECT_THROW(write_trace(bad, dir / "t.tst"), RuntimeError);
  // The old file is intact and no temporary is left behind.
  EXPECT_EQ(dir.files(), std::vector<std::string>{"t.tst"});
  testing::expect_same_trace(small_trace(), read_trace(dir / "t.tst"));
}

TEST(TraceFormat, FromExtension) {
  EXPECT_EQ(format_from_extension("a/b.tst"), TraceFormat::kBinary);
  EXPECT_EQ(format_from_extension("b.csv"), TraceFormat::kCsv);
  EXPECT_EQ(format_from_extension("b.legacy.csv"), TraceFormat::kLegacyCsv);
  try {
    format_from_extension("out.json");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "out.json: expected a trace file name ending in .tst (binary), .csv or .legacy.csv, "
              "found '.json'");
  }
}

}  // namespace
}  // namespace tessera::workload
