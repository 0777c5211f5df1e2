// Reading and writing traces.
//   .tst  binary: magic, version, tensor table, op table, 24-byte events.
//   .csv  for people: one row per event with every field.
//   legacy CSV: the original prototype's columns
//         tensor_id,size_mb,reuse_distance,stride,op,model_type
// Readers validate everything and throw InputError naming the file and the
// byte offset (binary) or line (CSV) of the first problem; they never read
// past the end of the data.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "models/workload/trace.h"

namespace tessera::workload {

enum class TraceFormat { kBinary, kCsv, kLegacyCsv };

// From the extension: .tst -> binary, .csv -> CSV. Throws InputError otherwise.
TraceFormat format_from_extension(const std::filesystem::path& path);

// Writes atomically (temporary file, then rename).
void write_trace(const Trace& trace, const std::filesystem::path& path, TraceFormat format);
void write_trace(const Trace& trace, const std::filesystem::path& path);  // by extension

// Reads any supported format; a .csv is sniffed for the legacy header.
Trace read_trace(const std::filesystem::path& path);

// Reads a binary trace held in memory (a pipe, a test); `name` stands for
// the file in messages.
Trace read_binary_trace(std::string_view bytes, const std::string& name);

}  // namespace tessera::workload
