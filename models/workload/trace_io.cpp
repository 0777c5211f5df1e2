// Format dispatch, whole-trace validation and the CSV helpers shared by the
// two CSV flavours. The formats themselves: trace_binary.cpp, trace_csv.cpp,
// trace_legacy_csv.cpp; docs/trace-format.md describes them byte by byte.
#include "models/workload/trace_io.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <memory>

#include "models/core/error.h"
#include "models/workload/trace_io_detail.h"

namespace tessera::workload {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TraceFormat format_from_extension(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (ends_with(name, ".legacy.csv")) return TraceFormat::kLegacyCsv;
  if (ends_with(name, ".csv")) return TraceFormat::kCsv;
  if (ends_with(name, ".tst")) return TraceFormat::kBinary;
  throw InputError(fmt::format(
      "{}: expected a trace file name ending in .tst (binary), .csv or .legacy.csv, found '{}'",
      path.string(), path.extension().string()));
}

void write_trace(const Trace& trace, const std::filesystem::path& path, TraceFormat format) {
  // A trace that breaks its own invariants is a bug upstream (a generator);
  // refuse to write a file every reader would reject.
  const std::string problem = detail::check_trace(trace);
  if (!problem.empty()) {
    throw RuntimeError(
        fmt::format("{}: refusing to write an inconsistent trace: {}", path.string(), problem));
  }
  switch (format) {
    case TraceFormat::kBinary:
      detail::write_binary(trace, path);
      return;
    case TraceFormat::kCsv:
      detail::write_csv(trace, path);
      return;
    case TraceFormat::kLegacyCsv:
      detail::write_legacy_csv(trace, path);
      return;
  }
}

void write_trace(const Trace& trace, const std::filesystem::path& path) {
  write_trace(trace, path, format_from_extension(path));
}

Trace read_trace(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(name + ": expected a readable trace file, found a directory");
  }
  if (ends_with(name, ".tst")) return detail::read_binary(path);
  if (ends_with(name, ".csv")) {
    const std::string text = detail::read_text_file(path);
    // Sniff the first line: the legacy header, or Tessera's own first line.
    const std::string_view first(text.data(), std::min(text.find('\n'), text.size()));
    const std::string_view line =
        !first.empty() && first.back() == '\r' ? first.substr(0, first.size() - 1) : first;
    if (line == detail::kLegacyHeader || line == detail::kCsvMagicLine) {
      Trace trace = line == detail::kLegacyHeader ? detail::read_legacy_csv(text, name)
                                                  : detail::read_csv(text, name);
      // The line-by-line checks should have caught everything; this is the
      // same whole-trace check the writers run, as a last guard.
      const std::string problem = detail::check_trace(trace);
      if (!problem.empty()) throw InputError(name + ": " + problem);
      return trace;
    }
    throw InputError(
        fmt::format("{}:1:1: expected '{}' (a Tessera CSV trace) or '{}' (a legacy "
                    "CSV trace) as the first line, found {}",
                    name, detail::kCsvMagicLine, detail::kLegacyHeader, detail::quote_text(line)));
  }
  // Unknown extension: sniff the binary magic before giving up.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(name.c_str(), "rb"), &std::fclose);
  if (f) {
    char magic[8] = {};
    if (std::fread(magic, 1, sizeof magic, f.get()) == sizeof magic &&
        std::string_view(magic, 8) == std::string_view("\x89TST\r\n\x1a\n", 8)) {
      f.reset();
      return detail::read_binary(path);
    }
  }
  throw InputError(fmt::format(
      "{}: expected a trace file name ending in .tst (binary), .csv or .legacy.csv, found '{}'",
      name, path.extension().string()));
}

Trace read_binary_trace(std::string_view bytes, const std::string& name) {
  return detail::read_binary(bytes, name);
}

namespace detail {

std::string read_text_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.string().c_str(), "rb"),
                                                    &std::fclose);
  if (!f) throw InputError(path.string() + ": expected a readable trace file, found none");
  std::string text;
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f.get())) > 0) text.append(buffer, n);
  if (std::ferror(f.get())) throw RuntimeError(path.string() + ": read failed");
  return text;
}

void append_csv_field(std::string& out, std::string_view field) {
  bool needs_quotes = !field.empty() && (field.front() == ' ' || field.back() == ' ');
  for (char c : field) {
    if (c == ',' || c == '"') needs_quotes = true;
  }
  if (!needs_quotes) {
    out.append(field);
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void split_csv_line(std::string_view line, const std::string& name, std::size_t line_number,
                    int first_column, CsvLine& out) {
  out.fields.clear();
  out.columns.clear();
  std::size_t i = 0;
  while (true) {
    out.columns.push_back(first_column + static_cast<int>(i));
    std::string field;
    if (i < line.size() && line[i] == '"') {
      const std::size_t open = i++;
      while (true) {
        if (i >= line.size()) {
          throw InputError(
              fmt::format("{}:{}:{}: expected a closing '\"' for the field opened "
                          "here, found the end of the line",
                          name, line_number, first_column + static_cast<int>(open)));
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') {
        throw InputError(fmt::format("{}:{}:{}: expected ',' after a quoted field, found '{}'",
                                     name, line_number, first_column + static_cast<int>(i),
                                     line[i]));
      }
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      field.assign(line.substr(i, end - i));
      i = end;
    }
    out.fields.push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
}

bool parse_u64(std::string_view text, std::uint64_t& out) {
  if (text.empty() || text.front() == '-' || text.front() == '+') return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

bool parse_i64(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.front() == '+') return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

std::string quote_text(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

namespace {

bool has_control_character(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

std::string check_trace(const Trace& trace) {
  constexpr std::size_t kMaxName = 0xFFFF;  // names are stored with a 16-bit length
  const auto bad_name = [&](std::string_view what, std::string_view s) -> std::string {
    if (s.size() > kMaxName)
      return fmt::format("{} is {} bytes long (at most {})", what, s.size(), kMaxName);
    if (has_control_character(s))
      return fmt::format("{} {} holds a control character", what, quote_text(s));
    return "";
  };
  if (auto m = bad_name("the model name", trace.model); !m.empty()) return m;
  if (auto m = bad_name("the family name", trace.family); !m.empty()) return m;
  if (trace.tensors.size() > 0xFFFFFFFFu) return "more than 2^32 tensors";
  if (trace.ops.size() > TraceEvent::kMaxOpId) return "more than 2^31 ops";
  for (std::size_t i = 0; i < trace.tensors.size(); ++i) {
    const TensorInfo& t = trace.tensors[i];
    if (auto m = bad_name(fmt::format("tensor {}'s name", i), t.name); !m.empty()) return m;
    if (static_cast<unsigned>(t.role) > static_cast<unsigned>(TensorRole::kOutput)) {
      return fmt::format("tensor {} has role {}", i, static_cast<unsigned>(t.role));
    }
    if (t.address + t.bytes < t.address) {
      return fmt::format("tensor {} ends past 2^64 (address {}, {} bytes)", i, t.address, t.bytes);
    }
  }
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    const OpInfo& op = trace.ops[i];
    if (auto m = bad_name(fmt::format("op {}'s name", i), op.name); !m.empty()) return m;
    if (static_cast<unsigned>(op.kind) >= static_cast<unsigned>(kOpKindCount)) {
      return fmt::format("op {} has kind {}", i, static_cast<unsigned>(op.kind));
    }
    const unsigned d = op.dtype_bytes;
    if (d != 1 && d != 2 && d != 4 && d != 8) {
      return fmt::format("op {} has dtype_bytes {} (expected 1, 2, 4 or 8)", i, d);
    }
  }
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    const TraceEvent& e = trace.events[i];
    if (e.tensor_id >= trace.tensors.size()) {
      return fmt::format("event {} names tensor {} of {}", i, e.tensor_id, trace.tensors.size());
    }
    if (e.op_id() >= trace.ops.size()) {
      return fmt::format("event {} names op {} of {}", i, e.op_id(), trace.ops.size());
    }
    const TensorInfo& t = trace.tensors[e.tensor_id];
    if (e.address < t.address || e.address - t.address > t.bytes ||
        e.bytes > t.bytes - (e.address - t.address)) {
      return fmt::format("event {} accesses {} bytes at {}, outside tensor {} ({} bytes at {})", i,
                         e.bytes, e.address, e.tensor_id, t.bytes, t.address);
    }
  }
  return "";
}

}  // namespace detail
}  // namespace tessera::workload
