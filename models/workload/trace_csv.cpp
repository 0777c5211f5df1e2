// The CSV trace for people: one row per event with every field spelled out,
// preceded by the tensor and op tables as '#' lines so that the file holds
// the whole trace and converts back to binary exactly:
//
//   # tessera-trace-csv,1
//   # model,tiny-mlp
//   # family,mlp
//   # seed,1
//   # tensor_columns,id,name,role,bytes,address
//   # tensor,0,fc0.weight,weight,2048,0
//   # op_columns,id,name,kind,layer,flops,batch,m,n,k,dtype_bytes
//   # op,0,fc0,gemm,0,4096,1,4,16,32,4
//   seq,tensor_id,tensor,role,bytes,address,kind,op_id,op,op_kind,layer,flops
//   0,0,fc0.weight,weight,2048,0,read,0,fc0,gemm,0,4096
//
// The name, role, op and layer columns repeat what the tables say (so a
// spreadsheet needs no lookup); the reader checks they agree with the tables.
#include <fmt/format.h>

#include <string_view>

#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/workload/trace_io_detail.h"

namespace tessera::workload::detail {
namespace {

constexpr std::string_view kTensorColumns = "# tensor_columns,id,name,role,bytes,address";
constexpr std::string_view kOpColumns =
    "# op_columns,id,name,kind,layer,flops,batch,m,n,k,dtype_bytes";
constexpr const char* kEventColumnNames[] = {"seq",   "tensor_id", "tensor", "role",
                                             "bytes", "address",   "kind",   "op_id",
                                             "op",    "op_kind",   "layer",  "flops"};
constexpr std::size_t kEventColumns = 12;
constexpr std::size_t kFlushBytes = 1 << 20;

void append_number(std::string& out, std::uint64_t v) {
  fmt::format_to(std::back_inserter(out), "{}", v);
}

// Reads one CSV file line by line, keeping the position for messages.
class LineReader {
 public:
  LineReader(const std::string& text, const std::string& name) : text_(text), name_(name) {}

  // The next line without its line break; false at the end.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string::npos ? text_.size() : nl;
    line = std::string_view(text_).substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++line_number_;
    return true;
  }
  std::size_t line_number() const { return line_number_; }

  [[noreturn]] void fail(int column, std::string_view message) const {
    throw InputError(fmt::format("{}:{}:{}: {}", name_, line_number_, column, message));
  }

 private:
  const std::string& text_;
  const std::string& name_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
};

// Typed access to the fields of one parsed line, with messages naming the column.
class Fields {
 public:
  Fields(const LineReader& reader, const CsvLine& line, const char* const* names)
      : reader_(reader), line_(line), names_(names) {}

  const std::string& text(std::size_t i) const { return line_.fields[i]; }
  int column(std::size_t i) const { return line_.columns[i]; }

  [[noreturn]] void fail(std::size_t i, std::string_view expected) const {
    reader_.fail(column(i), fmt::format("{}: expected {}, found {}", names_[i], expected,
                                        quote_text(text(i))));
  }
  std::uint64_t u64(std::size_t i) const {
    std::uint64_t v = 0;
    if (!parse_u64(text(i), v)) fail(i, "an unsigned integer");
    return v;
  }
  std::uint64_t u64_max(std::size_t i, std::uint64_t max) const {
    const std::uint64_t v = u64(i);
    if (v > max) fail(i, fmt::format("an integer at most {}", max));
    return v;
  }
  // A name cell: any text but control characters (a tab would not survive
  // the binary format's checks).
  const std::string& name(std::size_t i) const {
    for (char ch : text(i)) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f) fail(i, "a name without control characters");
    }
    return text(i);
  }
  void expect(std::size_t i, std::string_view want, std::string_view why) const {
    if (text(i) != want) {
      reader_.fail(column(i), fmt::format("{}: expected {} ({}), found {}", names_[i],
                                          quote_text(want), why, quote_text(text(i))));
    }
  }

 private:
  const LineReader& reader_;
  const CsvLine& line_;
  const char* const* names_;
};

constexpr const char* kTensorNames[] = {"record", "id", "name", "role", "bytes", "address"};
constexpr const char* kOpNames[] = {"record", "id", "name", "kind", "layer",      "flops",
                                    "batch",  "m",  "n",    "k",    "dtype_bytes"};
constexpr const char* kMetaNames[] = {"record", "value"};

}  // namespace

void write_csv(const Trace& trace, const std::filesystem::path& path) {
  AtomicFile file(path);
  std::ofstream& stream = file.stream();
  std::string out;
  out += kCsvMagicLine;
  out += "\n# model,";
  append_csv_field(out, trace.model);
  out += "\n# family,";
  append_csv_field(out, trace.family);
  out += "\n# seed,";
  append_number(out, trace.seed);
  out += '\n';
  out += kTensorColumns;
  out += '\n';
  for (std::size_t i = 0; i < trace.tensors.size(); ++i) {
    const TensorInfo& t = trace.tensors[i];
    out += "# tensor,";
    append_number(out, i);
    out += ',';
    append_csv_field(out, t.name);
    fmt::format_to(std::back_inserter(out), ",{},{},{}\n", tensor_role_name(t.role), t.bytes,
                   t.address);
  }
  out += kOpColumns;
  out += '\n';
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    const OpInfo& op = trace.ops[i];
    out += "# op,";
    append_number(out, i);
    out += ',';
    append_csv_field(out, op.name);
    fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},{},{},{}\n", op_kind_name(op.kind),
                   op.layer, op.flops, op.batch, op.m, op.n, op.k, unsigned{op.dtype_bytes});
  }
  out += kCsvEventHeader;
  out += '\n';
  // Names are quoted once per table entry, not once per event.
  std::vector<std::string> tensor_names(trace.tensors.size()), op_names(trace.ops.size());
  for (std::size_t i = 0; i < trace.tensors.size(); ++i)
    append_csv_field(tensor_names[i], trace.tensors[i].name);
  for (std::size_t i = 0; i < trace.ops.size(); ++i)
    append_csv_field(op_names[i], trace.ops[i].name);
  for (std::size_t seq = 0; seq < trace.events.size(); ++seq) {
    const TraceEvent& e = trace.events[seq];
    const TensorInfo& t = trace.tensors[e.tensor_id];
    const OpInfo& op = trace.ops[e.op_id()];
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{},{}\n", seq,
                   e.tensor_id, tensor_names[e.tensor_id], tensor_role_name(t.role), e.bytes,
                   e.address, access_kind_name(e.kind()), e.op_id(), op_names[e.op_id()],
                   op_kind_name(op.kind), op.layer, op.flops);
    if (out.size() >= kFlushBytes) {
      stream.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
  file.commit();
}

Trace read_csv(const std::string& text, const std::string& name) {
  LineReader reader(text, name);
  Trace trace;
  CsvLine line;
  std::string_view raw;
  reader.next(raw);  // the magic line, checked by the caller

  bool have_model = false, have_family = false, have_seed = false, have_header = false;
  bool have_tensor_columns = false, have_op_columns = false;
  while (!have_header && reader.next(raw)) {
    if (raw.empty()) continue;
    if (raw == kCsvEventHeader) {
      have_header = true;
      break;
    }
    if (raw.substr(0, 2) != "# ") {
      reader.fail(1, fmt::format("expected a '# ' table line or the event header '{}', found {}",
                                 kCsvEventHeader, quote_text(raw)));
    }
    if (raw == kTensorColumns) {
      have_tensor_columns = true;
      continue;
    }
    if (raw == kOpColumns) {
      have_op_columns = true;
      continue;
    }
    split_csv_line(raw.substr(2), name, reader.line_number(), 3, line);
    const std::string& record = line.fields[0];
    const auto need_fields = [&](std::size_t n) {
      if (line.fields.size() != n) {
        reader.fail(3,
                    fmt::format("{}: expected {} fields, found {}", record, n, line.fields.size()));
      }
    };
    if (record == "model" || record == "family" || record == "seed") {
      need_fields(2);
      Fields f(reader, line, kMetaNames);
      bool& seen = record == "model" ? have_model : record == "family" ? have_family : have_seed;
      if (seen) reader.fail(3, fmt::format("{}: expected it once, found it twice", record));
      seen = true;
      if (record == "model") trace.model = f.name(1);
      if (record == "family") trace.family = f.name(1);
      if (record == "seed") trace.seed = f.u64(1);
    } else if (record == "tensor") {
      if (!have_tensor_columns)
        reader.fail(3, fmt::format("expected '{}' before the first tensor", kTensorColumns));
      need_fields(6);
      Fields f(reader, line, kTensorNames);
      const std::uint64_t id = f.u64(1);
      if (id != trace.tensors.size())
        f.fail(1, fmt::format("tensor id {} (ids count up from 0)", trace.tensors.size()));
      TensorInfo t;
      t.name = f.name(2);
      if (!parse_tensor_role(f.text(3), t.role))
        f.fail(3, "weight, activation, kv_cache, input or output");
      t.bytes = f.u64(4);
      t.address = f.u64(5);
      if (t.address + t.bytes < t.address) f.fail(4, "an extent that ends below 2^64");
      if (trace.tensors.size() == 0xFFFFFFFFu) f.fail(1, "at most 2^32 tensors");
      trace.tensors.push_back(std::move(t));
    } else if (record == "op") {
      if (!have_op_columns)
        reader.fail(3, fmt::format("expected '{}' before the first op", kOpColumns));
      need_fields(11);
      Fields f(reader, line, kOpNames);
      const std::uint64_t id = f.u64(1);
      if (id != trace.ops.size())
        f.fail(1, fmt::format("op id {} (ids count up from 0)", trace.ops.size()));
      if (trace.ops.size() == TraceEvent::kMaxOpId) f.fail(1, "at most 2^31 - 1 ops");
      OpInfo op;
      op.name = f.name(2);
      if (!parse_op_kind(f.text(3), op.kind)) {
        std::string kinds;
        for (int k = 0; k < kOpKindCount; ++k) {
          kinds += (k ? ", " : "");
          kinds += op_kind_name(static_cast<OpKind>(k));
        }
        f.fail(3, "one of " + kinds);
      }
      op.layer = static_cast<std::uint32_t>(f.u64_max(4, 0xFFFFFFFFu));
      op.flops = f.u64(5);
      op.batch = f.u64(6);
      op.m = f.u64(7);
      op.n = f.u64(8);
      op.k = f.u64(9);
      const std::uint64_t d = f.u64(10);
      if (d != 1 && d != 2 && d != 4 && d != 8) f.fail(10, "1, 2, 4 or 8");
      op.dtype_bytes = static_cast<std::uint8_t>(d);
      trace.ops.push_back(std::move(op));
    } else {
      reader.fail(3,
                  fmt::format("expected a table line (model, family, seed, tensor_columns, tensor, "
                              "op_columns, op), found {}",
                              quote_text(record)));
    }
  }
  if (!have_header) {
    reader.fail(1, fmt::format("expected the event header '{}', found the end of the file",
                               kCsvEventHeader));
  }
  if (!have_model || !have_family || !have_seed) {
    reader.fail(1, fmt::format("expected '# model', '# family' and '# seed' lines before the event "
                               "header, found {} missing",
                               !have_model    ? "model"
                               : !have_family ? "family"
                                              : "seed"));
  }

  while (reader.next(raw)) {
    if (raw.empty()) continue;
    split_csv_line(raw, name, reader.line_number(), 1, line);
    if (line.fields.size() != kEventColumns) {
      reader.fail(1, fmt::format("expected {} fields ({}), found {}", kEventColumns,
                                 kCsvEventHeader, line.fields.size()));
    }
    Fields f(reader, line, kEventColumnNames);
    const std::uint64_t seq = f.u64(0);
    if (seq != trace.events.size())
      f.fail(0, fmt::format("{} (events are numbered from 0 in order)", trace.events.size()));
    const std::uint64_t tensor_id = f.u64(1);
    if (tensor_id >= trace.tensors.size()) {
      f.fail(1,
             fmt::format("a tensor id below {} (the tensor table's size)", trace.tensors.size()));
    }
    const TensorInfo& t = trace.tensors[tensor_id];
    f.expect(2, t.name, fmt::format("tensor {}'s name in the table", tensor_id));
    f.expect(3, tensor_role_name(t.role), fmt::format("tensor {}'s role in the table", tensor_id));
    TraceEvent e;
    e.bytes = f.u64(4);
    e.address = f.u64(5);
    if (e.address < t.address || e.address - t.address > t.bytes ||
        e.bytes > t.bytes - (e.address - t.address)) {
      f.fail(5, fmt::format("an access inside tensor {} ({} bytes at address {}) for {} bytes",
                            tensor_id, t.bytes, t.address, e.bytes));
    }
    AccessKind kind;
    if (f.text(6) == "read") {
      kind = AccessKind::kRead;
    } else if (f.text(6) == "write") {
      kind = AccessKind::kWrite;
    } else {
      f.fail(6, "read or write");
    }
    const std::uint64_t op_id = f.u64(7);
    if (op_id >= trace.ops.size()) {
      f.fail(7, fmt::format("an op id below {} (the op table's size)", trace.ops.size()));
    }
    const OpInfo& op = trace.ops[op_id];
    f.expect(8, op.name, fmt::format("op {}'s name in the table", op_id));
    f.expect(9, op_kind_name(op.kind), fmt::format("op {}'s kind in the table", op_id));
    f.expect(10, std::to_string(op.layer), fmt::format("op {}'s layer in the table", op_id));
    f.expect(11, std::to_string(op.flops), fmt::format("op {}'s flops in the table", op_id));
    e.tensor_id = static_cast<std::uint32_t>(tensor_id);
    e.set(static_cast<std::uint32_t>(op_id), kind);
    trace.events.push_back(e);
  }
  return trace;
}

}  // namespace tessera::workload::detail
