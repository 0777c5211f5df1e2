// The binary trace format (.tst), version 1. Layout (all integers
// little-endian; docs/trace-format.md has the full table):
//
//   0   8  magic   89 'T' 'S' 'T' 0D 0A 1A 0A  (PNG's trick: catches text-mode
//                  transfers and files that are not traces)
//   8   4  version (1)
//   12  4  flags (0; reserved)
//   16  4  tensor count        20  4  op count
//   24  8  event count         32  8  seed
//   40  8  events offset (the byte where the events start; a multiple of 8)
//   48     model name, family name (u16 length + bytes each)
//          tensor table: per tensor u16 name length, name, u8 role, u64 bytes, u64 address
//          op table: per op u16 name length, name, u8 kind, u8 dtype bytes, u32 layer,
//                    u64 flops, u64 batch, u64 m, u64 n, u64 k
//          zero padding up to the events offset
//   events offset: event count x 24-byte events
//          u64 address, u64 bytes, u32 tensor id, u32 op id | write bit 31
//   the file ends exactly after the last event.
//
// The reader trusts nothing: every count is checked against the file size
// before anything is allocated, every id and enum against its table, and every
// access against its tensor's extent.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/workload/trace_io_detail.h"

namespace tessera::workload::detail {
namespace {

constexpr char kMagic[8] = {'\x89', 'T', 'S', 'T', '\r', '\n', '\x1a', '\n'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 48;
constexpr std::size_t kEventBytes = 24;
constexpr std::size_t kMinTensorRecord = 2 + 1 + 8 + 8;
constexpr std::size_t kMinOpRecord = 2 + 1 + 1 + 4 + 5 * 8;
// Events are validated in blocks small enough to stay in cache between the
// read and the check.
constexpr std::size_t kBlockEvents = 1 << 15;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr bool kLittleEndianHost = true;
#else
constexpr bool kLittleEndianHost = false;
#endif

// On a little-endian host the in-memory event is byte for byte the on-disk
// event, so blocks are read straight into the vector.
static_assert(sizeof(TraceEvent) == kEventBytes, "event record size");
static_assert(offsetof(TraceEvent, address) == 0 && offsetof(TraceEvent, bytes) == 8 &&
                  offsetof(TraceEvent, tensor_id) == 16 && offsetof(TraceEvent, op_and_kind) == 20,
              "TraceEvent's layout is the file layout");

void put_u8(std::string& out, std::uint8_t v) {
  out += static_cast<char>(v);
}
void put_u16(std::string& out, std::uint16_t v) {
  for (int i = 0; i < 2; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_string(std::string& out, const std::string& s) {
  put_u16(out, static_cast<std::uint16_t>(s.size()));  // length checked by check_trace()
  out += s;
}

std::uint64_t get_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void encode_event(const TraceEvent& e, unsigned char* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(e.address >> (8 * i));
  for (int i = 0; i < 8; ++i) p[8 + i] = static_cast<unsigned char>(e.bytes >> (8 * i));
  for (int i = 0; i < 4; ++i) p[16 + i] = static_cast<unsigned char>(e.tensor_id >> (8 * i));
  for (int i = 0; i < 4; ++i) p[20 + i] = static_cast<unsigned char>(e.op_and_kind >> (8 * i));
}

TraceEvent decode_event(const unsigned char* p) {
  TraceEvent e;
  e.address = get_le(p, 8);
  e.bytes = get_le(p + 8, 8);
  e.tensor_id = static_cast<std::uint32_t>(get_le(p + 16, 4));
  e.op_and_kind = static_cast<std::uint32_t>(get_le(p + 20, 4));
  return e;
}

// Bounds-checked reading of the header and tables; every failure names the
// byte offset of the field.
class Cursor {
 public:
  Cursor(const unsigned char* data, std::size_t end, std::string file)
      : data_(data), end_(end), file_(std::move(file)) {}

  std::size_t pos() const { return pos_; }

  [[noreturn]] void fail(std::size_t at, std::string_view what) const {
    throw InputError(fmt::format("{}: byte {}: {}", file_, at, what));
  }

  std::uint64_t number(int bytes, std::string_view what) {
    need(static_cast<std::size_t>(bytes), what);
    const std::uint64_t v = get_le(data_ + pos_, bytes);
    pos_ += static_cast<std::size_t>(bytes);
    return v;
  }
  std::uint8_t u8(std::string_view what) { return static_cast<std::uint8_t>(number(1, what)); }
  std::uint32_t u32(std::string_view what) { return static_cast<std::uint32_t>(number(4, what)); }
  std::uint64_t u64(std::string_view what) { return number(8, what); }

  std::string name(std::string_view what) {
    const std::size_t at = pos_;
    const auto length = static_cast<std::size_t>(number(2, what));
    need(length, what);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), length);
    for (std::size_t i = 0; i < length; ++i) {
      const unsigned char c = data_[pos_ + i];
      if (c < 0x20 || c == 0x7f) {
        fail(pos_ + i, fmt::format("{}: expected a name without control characters, found byte "
                                   "0x{:02x} (name of {} bytes starting at byte {})",
                                   what, c, length, at + 2));
      }
    }
    pos_ += length;
    return s;
  }

 private:
  void need(std::size_t bytes, std::string_view what) const {
    if (end_ - pos_ < bytes) {
      fail(pos_, fmt::format("{}: expected {} bytes, found {} before the events start at byte {} "
                             "(corrupt table or counts)",
                             what, bytes, end_ - pos_, end_));
    }
  }

  const unsigned char* data_;
  std::size_t end_;
  std::size_t pos_ = 0;
  std::string file_;
};

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// Where the bytes come from: a file (read in large blocks) or memory.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::uint64_t size() const = 0;
  // Copies up to `bytes` into `into`; returns how many were copied.
  virtual std::size_t read(void* into, std::size_t bytes) = 0;
};

class FileSource final : public Source {
 public:
  FileSource(std::FILE* f, std::uint64_t size) : f_(f), size_(size) {
    // Reading front to back: let the kernel read ahead generously.
    ::posix_fadvise(::fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  std::uint64_t size() const override { return size_; }
  std::size_t read(void* into, std::size_t bytes) override {
    return std::fread(into, 1, bytes, f_);
  }

 private:
  std::FILE* f_;
  std::uint64_t size_;
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::size_t read(void* into, std::size_t bytes) override {
    const std::size_t n = std::min(bytes, bytes_.size() - pos_);
    if (n > 0) std::memcpy(into, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

std::size_t read_fully(Source& source, void* into, std::size_t bytes) {
  return source.read(into, bytes);
}

Trace read_binary_from(Source& source, const std::string& name);

// Large event arrays: ask for transparent huge pages before first touch.
// Faulting in 4 KiB pages was most of the reader's time (one fault per 170
// events); 2 MiB pages cut the faults 512-fold. Advice only: ignored where
// huge pages are off.
void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  if (bytes < 2 * kHuge) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHuge - 1);
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace

void write_binary(const Trace& trace, const std::filesystem::path& path) {
  std::string head;
  head.append(kMagic, sizeof kMagic);
  put_u32(head, kVersion);
  put_u32(head, 0);
  put_u32(head, static_cast<std::uint32_t>(trace.tensors.size()));
  put_u32(head, static_cast<std::uint32_t>(trace.ops.size()));
  put_u64(head, trace.events.size());
  put_u64(head, trace.seed);
  const std::size_t offset_field = head.size();
  put_u64(head, 0);  // events offset, patched below
  put_string(head, trace.model);
  put_string(head, trace.family);
  for (const TensorInfo& t : trace.tensors) {
    put_string(head, t.name);
    put_u8(head, static_cast<std::uint8_t>(t.role));
    put_u64(head, t.bytes);
    put_u64(head, t.address);
  }
  for (const OpInfo& op : trace.ops) {
    put_string(head, op.name);
    put_u8(head, static_cast<std::uint8_t>(op.kind));
    put_u8(head, op.dtype_bytes);
    put_u32(head, op.layer);
    put_u64(head, op.flops);
    put_u64(head, op.batch);
    put_u64(head, op.m);
    put_u64(head, op.n);
    put_u64(head, op.k);
  }
  head.append((8 - head.size() % 8) % 8, '\0');
  std::string patched;
  put_u64(patched, head.size());
  head.replace(offset_field, 8, patched);

  AtomicFile file(path, /*binary=*/true);
  std::ofstream& out = file.stream();
  out.write(head.data(), static_cast<std::streamsize>(head.size()));
  if constexpr (kLittleEndianHost) {
    out.write(reinterpret_cast<const char*>(trace.events.data()),
              static_cast<std::streamsize>(trace.events.size() * kEventBytes));
  } else {
    std::vector<unsigned char> block(kBlockEvents * kEventBytes);
    for (std::size_t first = 0; first < trace.events.size(); first += kBlockEvents) {
      const std::size_t n = std::min(kBlockEvents, trace.events.size() - first);
      for (std::size_t i = 0; i < n; ++i)
        encode_event(trace.events[first + i], &block[i * kEventBytes]);
      out.write(reinterpret_cast<const char*>(block.data()),
                static_cast<std::streamsize>(n * kEventBytes));
    }
  }
  file.commit();
}

Trace read_binary(const std::filesystem::path& path) {
  const std::string name = path.string();
  FilePtr f(std::fopen(name.c_str(), "rb"), &std::fclose);
  if (!f) throw InputError(name + ": expected a readable trace file, found none");
  std::error_code ec;
  const std::uintmax_t file_size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(name + ": expected a regular trace file, found " + ec.message());
  FileSource source(f.get(), file_size);
  return read_binary_from(source, name);
}

Trace read_binary(std::string_view bytes, const std::string& name) {
  MemorySource source(bytes);
  return read_binary_from(source, name);
}

namespace {

Trace read_binary_from(Source& source, const std::string& name) {
  const std::uint64_t file_size = source.size();

  // Header.
  unsigned char header[kHeaderBytes];
  const std::size_t got = read_fully(source, header, kHeaderBytes);
  const std::size_t magic_bytes = std::min(got, sizeof kMagic);
  if (std::memcmp(header, kMagic, magic_bytes) != 0 || got == 0) {
    throw InputError(
        fmt::format("{}: byte 0: expected a Tessera binary trace (magic 89 54 53 54 0D "
                    "0A 1A 0A), found {}",
                    name, got == 0 ? std::string("an empty file") : "other bytes"));
  }
  if (got < kHeaderBytes) {
    throw InputError(
        fmt::format("{}: byte {}: expected a {}-byte header, found the end of the "
                    "file (truncated)",
                    name, got, kHeaderBytes));
  }
  Cursor head(header, kHeaderBytes, name);
  head.number(8, "magic");
  const std::uint32_t version = head.u32("version");
  if (version != kVersion) {
    head.fail(8, fmt::format("expected trace format version {}, found version {} (written by "
                             "{} Tessera; convert it with the version that wrote it)",
                             kVersion, version, version > kVersion ? "a newer" : "an older"));
  }
  const std::uint32_t flags = head.u32("flags");
  if (flags != 0) head.fail(12, fmt::format("flags: expected 0, found {}", flags));
  const std::uint32_t tensor_count = head.u32("tensor count");
  const std::uint32_t op_count = head.u32("op count");
  const std::uint64_t event_count = head.u64("event count");
  Trace trace;
  trace.seed = head.u64("seed");
  const std::uint64_t events_offset = head.u64("events offset");

  if (events_offset < kHeaderBytes + 8 || events_offset % 8 != 0 || events_offset > file_size) {
    head.fail(40, fmt::format("events offset: expected a multiple of 8 between {} and the file "
                              "size {}, found {}",
                              kHeaderBytes + 8, file_size, events_offset));
  }
  const std::uint64_t event_space = file_size - events_offset;
  if (event_count > event_space / kEventBytes) {
    throw InputError(fmt::format(
        "{}: byte {}: expected {} events of {} bytes from byte {}, found "
        "the end of the file (truncated after {} whole events)",
        name, file_size, event_count, kEventBytes, events_offset, event_space / kEventBytes));
  }
  if (event_space != event_count * kEventBytes) {
    const std::uint64_t end = events_offset + event_count * kEventBytes;
    throw InputError(
        fmt::format("{}: byte {}: expected the end of the file after {} events, "
                    "found {} more bytes",
                    name, end, event_count, file_size - end));
  }
  // Counts against the table space, before anything is allocated.
  const std::uint64_t table_space = events_offset - kHeaderBytes;
  if (tensor_count > table_space / kMinTensorRecord ||
      tensor_count * kMinTensorRecord + std::uint64_t{op_count} * kMinOpRecord > table_space) {
    head.fail(
        16, fmt::format("tensor and op counts: expected at most {} bytes of tables, found "
                        "counts {} and {} that need at least {}",
                        table_space, tensor_count, op_count,
                        tensor_count * kMinTensorRecord + std::uint64_t{op_count} * kMinOpRecord));
  }
  if (op_count > TraceEvent::kMaxOpId) {
    head.fail(
        20, fmt::format("op count: expected at most {}, found {}", TraceEvent::kMaxOpId, op_count));
  }

  // Tables: everything up to the events offset.
  std::vector<unsigned char> tables(events_offset);
  std::memcpy(tables.data(), header, kHeaderBytes);
  const std::size_t table_bytes = events_offset - kHeaderBytes;
  if (read_fully(source, tables.data() + kHeaderBytes, table_bytes) != table_bytes) {
    throw RuntimeError(name + ": read failed (the file changed while it was read?)");
  }
  Cursor c(tables.data(), events_offset, name);
  c.number(static_cast<int>(8), "magic");
  for (int i = 0; i < 5; ++i) c.number(8, "header");  // already checked above
  trace.model = c.name("model name");
  trace.family = c.name("family name");
  trace.tensors.resize(tensor_count);
  // One spare zero entry so the branch-free event check below may index
  // tensor 0 even in a trace without tensors (the id check still fails).
  std::vector<std::uint64_t> tensor_address(std::max<std::uint32_t>(tensor_count, 1), 0);
  std::vector<std::uint64_t> tensor_bytes(tensor_address.size(), 0);
  for (std::uint32_t i = 0; i < tensor_count; ++i) {
    TensorInfo& t = trace.tensors[i];
    const std::string what = fmt::format("tensor {}", i);
    t.name = c.name(what + " name");
    const std::size_t role_at = c.pos();
    const std::uint8_t role = c.u8(what + " role");
    if (role > static_cast<std::uint8_t>(TensorRole::kOutput)) {
      c.fail(role_at, fmt::format("{} role: expected 0..4 (weight, activation, kv_cache, input, "
                                  "output), found {}",
                                  what, role));
    }
    t.role = static_cast<TensorRole>(role);
    const std::size_t bytes_at = c.pos();
    t.bytes = c.u64(what + " bytes");
    t.address = c.u64(what + " address");
    if (t.address + t.bytes < t.address) {
      c.fail(bytes_at,
             fmt::format("{}: expected an extent below 2^64, found {} bytes at address {}", what,
                         t.bytes, t.address));
    }
    tensor_address[i] = t.address;
    tensor_bytes[i] = t.bytes;
  }
  trace.ops.resize(op_count);
  for (std::uint32_t i = 0; i < op_count; ++i) {
    OpInfo& op = trace.ops[i];
    const std::string what = fmt::format("op {}", i);
    op.name = c.name(what + " name");
    const std::size_t kind_at = c.pos();
    const std::uint8_t kind = c.u8(what + " kind");
    if (kind >= kOpKindCount) {
      c.fail(kind_at,
             fmt::format("{} kind: expected 0..{}, found {}", what, kOpKindCount - 1, kind));
    }
    op.kind = static_cast<OpKind>(kind);
    const std::size_t dtype_at = c.pos();
    op.dtype_bytes = c.u8(what + " dtype bytes");
    if (op.dtype_bytes != 1 && op.dtype_bytes != 2 && op.dtype_bytes != 4 && op.dtype_bytes != 8) {
      c.fail(dtype_at,
             fmt::format("{} dtype bytes: expected 1, 2, 4 or 8, found {}", what, op.dtype_bytes));
    }
    op.layer = c.u32(what + " layer");
    op.flops = c.u64(what + " flops");
    op.batch = c.u64(what + " batch");
    op.m = c.u64(what + " m");
    op.n = c.u64(what + " n");
    op.k = c.u64(what + " k");
  }
  const std::size_t tables_end = c.pos();
  if (events_offset - tables_end >= 8) {
    c.fail(tables_end, fmt::format("expected the events to start within 8 bytes of the end of "
                                   "the tables, found the events offset {}",
                                   events_offset));
  }
  for (std::size_t i = tables_end; i < events_offset; ++i) {
    if (tables[i] != 0) c.fail(i, fmt::format("padding: expected 0, found {}", tables[i]));
  }

  // Events, in cache-sized blocks: read, then check while the block is hot.
  // The checks are OR-ed together so the loop has no branch per event; the
  // slow path only runs to name the first bad event.
  // Each block is read into a cache-sized staging buffer, checked there,
  // then appended: one pass over the destination memory instead of zeroing
  // it first and then reading into it.
  trace.events.reserve(static_cast<std::size_t>(event_count));
  advise_huge_pages(trace.events.data(), trace.events.capacity() * kEventBytes);
  std::vector<TraceEvent> block(
      static_cast<std::size_t>(std::min<std::uint64_t>(kBlockEvents, event_count)));
  std::vector<unsigned char> raw(kLittleEndianHost ? 0 : block.size() * kEventBytes);
  for (std::uint64_t first = 0; first < event_count; first += kBlockEvents) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(kBlockEvents, event_count - first));
    if constexpr (kLittleEndianHost) {
      if (read_fully(source, block.data(), n * kEventBytes) != n * kEventBytes) {
        throw RuntimeError(name + ": read failed (the file changed while it was read?)");
      }
    } else {
      if (read_fully(source, raw.data(), n * kEventBytes) != n * kEventBytes) {
        throw RuntimeError(name + ": read failed (the file changed while it was read?)");
      }
      for (std::size_t i = 0; i < n; ++i) block[i] = decode_event(&raw[i * kEventBytes]);
    }
    bool bad = false;
    for (std::size_t i = 0; i < n; ++i) {
      const TraceEvent& e = block[i];
      const bool ids_bad = (e.tensor_id >= tensor_count) | (e.op_id() >= op_count);
      const std::uint32_t t = ids_bad ? 0 : e.tensor_id;
      const std::uint64_t base = tensor_address[t];
      const std::uint64_t extent = tensor_bytes[t];
      const std::uint64_t into = e.address - base;
      bad |= ids_bad | (e.address < base) | (into > extent) | (e.bytes > extent - into);
    }
    if (!bad) {
      trace.events.insert(trace.events.end(), block.begin(),
                          block.begin() + static_cast<std::ptrdiff_t>(n));
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const TraceEvent& e = block[i];
      const std::uint64_t index = first + i;
      const std::uint64_t at = events_offset + index * kEventBytes;
      if (e.tensor_id >= tensor_count) {
        c.fail(at + 16, fmt::format("event {} tensor id: expected 0..{}, found {}", index,
                                    std::int64_t{tensor_count} - 1, e.tensor_id));
      }
      if (e.op_id() >= op_count) {
        c.fail(at + 20, fmt::format("event {} op id: expected 0..{}, found {}", index,
                                    std::int64_t{op_count} - 1, e.op_id()));
      }
      const TensorInfo& t = trace.tensors[e.tensor_id];
      if (e.address < t.address || e.address - t.address > t.bytes ||
          e.bytes > t.bytes - (e.address - t.address)) {
        c.fail(at, fmt::format("event {}: expected an access inside tensor {} ({} bytes at address "
                               "{}), found {} bytes at address {}",
                               index, e.tensor_id, t.bytes, t.address, e.bytes, e.address));
      }
    }
  }
  return trace;
}

}  // namespace
}  // namespace tessera::workload::detail
