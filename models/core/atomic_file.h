// Outputs are atomic: written to "<path>.tmp.<pid>" and renamed over the final
// path only on commit(). A run that fails or is interrupted leaves no
// half-written result behind (the destructor removes the temporary).
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

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
  // Flushes and closes the temporary. Throws RuntimeError on I/O failure (disk full).
  // Optional: commit() does it too; callers writing several files finish them all
  // before renaming any, so a failure leaves none of them behind.
  void finish_writing();
  // Finishes writing if not done yet, then renames into place. Throws RuntimeError on
  // I/O failure.
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::ofstream out_;
  bool written_ = false;
  bool committed_ = false;
};

// Convenience: the whole text in one atomic write.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Several files that belong together (a run's result.json and timeline.json): every
// temporary is written and closed before the first rename, so an error while writing
// (a path that cannot be opened, a full disk) leaves none of the new files behind and
// the old ones untouched. Only a failing rename, after the others, could split them.
struct FileText {
  std::filesystem::path path;
  std::string text;
};
void write_files_atomically(const std::vector<FileText>& files);

}  // namespace tessera
