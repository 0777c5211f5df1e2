// Internals shared by the trace readers and writers (trace_binary.cpp,
// trace_csv.cpp, trace_legacy_csv.cpp, trace_io.cpp). Not a public header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "models/workload/trace.h"

namespace tessera::workload::detail {

void write_binary(const Trace& trace, const std::filesystem::path& path);
Trace read_binary(const std::filesystem::path& path);
Trace read_binary(std::string_view bytes, const std::string& name);

void write_csv(const Trace& trace, const std::filesystem::path& path);
// `text` is the whole file; `name` is used in messages.
Trace read_csv(const std::string& text, const std::string& name);

void write_legacy_csv(const Trace& trace, const std::filesystem::path& path);
Trace read_legacy_csv(const std::string& text, const std::string& name);

// The exact header lines that identify each CSV flavour.
inline constexpr std::string_view kCsvMagicLine = "# tessera-trace-csv,1";
inline constexpr std::string_view kCsvEventHeader =
    "seq,tensor_id,tensor,role,bytes,address,kind,op_id,op,op_kind,layer,flops";
inline constexpr std::string_view kLegacyHeader =
    "tensor_id,size_mb,reuse_distance,stride,op,model_type";

// Whole file into memory; InputError "FILE: cannot read ..." when it is missing.
std::string read_text_file(const std::filesystem::path& path);

// ---- CSV fields (RFC 4180 quoting) ----------------------------------------
// Appends `field`, quoted when it holds a comma, a quote or leading/trailing
// spaces.
void append_csv_field(std::string& out, std::string_view field);

// One parsed line: its fields and the 1-based character column of each.
struct CsvLine {
  std::vector<std::string> fields;
  std::vector<int> columns;
};
// Splits one physical line (no line break inside) into fields. On a
// malformed quote throws InputError "NAME:LINE:COL: ...".
void split_csv_line(std::string_view line, const std::string& name, std::size_t line_number,
                    int first_column, CsvLine& out);

// Strict number parsing for CSV cells: the whole cell, no sign unless signed.
bool parse_u64(std::string_view text, std::uint64_t& out);
bool parse_i64(std::string_view text, std::int64_t& out);

// A name as a message shows it: quoted, control characters escaped, long
// names cut.
std::string quote_text(std::string_view text);

// Checks the tables and events agree (ids in range, enums valid, accesses
// inside their tensor). Returns "" when valid, else what is wrong (no location).
std::string check_trace(const Trace& trace);

}  // namespace tessera::workload::detail
