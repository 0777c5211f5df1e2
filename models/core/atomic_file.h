// Outputs are atomic: written to "<path>.tmp.<pid>" and renamed over the final
// path only on commit(). A run that fails or is interrupted leaves no
// half-written result behind (the destructor removes the temporary).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace tessera {

class AtomicFile {
 public:
  // Creates parent directories as needed. Throws RuntimeError when the
  // temporary cannot be opened.
  explicit AtomicFile(std::filesystem::path path, bool binary = false);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ofstream& stream() { return out_; }
  // Flushes, closes and renames into place. Throws RuntimeError on I/O failure.
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::ofstream out_;
  bool committed_ = false;
};

// Convenience: the whole text in one atomic write.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace tessera
