#include "models/core/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "models/core/error.h"

namespace tessera {

AtomicFile::AtomicFile(std::filesystem::path path, bool binary) : path_(std::move(path)) {
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  temp_path_ = path_;
  temp_path_ += ".tmp." + std::to_string(::getpid());
  errno = 0;
  out_.open(temp_path_, binary ? std::ios::out | std::ios::binary | std::ios::trunc
                               : std::ios::out | std::ios::trunc);
  if (!out_) {
    // errno names the cause ("Permission denied", "Not a directory", ...).
    const int why = errno;
    throw RuntimeError(path_.string() + ": cannot open for writing" +
                       (why != 0 ? std::string(" (") + std::strerror(why) + ")" : std::string()));
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_path_, ec);
  }
}

void AtomicFile::finish_writing() {
  if (written_) return;
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok) throw RuntimeError(path_.string() + ": write failed (disk full?)");
  written_ = true;
}

void AtomicFile::commit() {
  finish_writing();
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) throw RuntimeError(path_.string() + ": cannot rename into place: " + ec.message());
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  AtomicFile file(path);
  file.stream() << text;
  file.commit();
}

void write_files_atomically(const std::vector<FileText>& files) {
  std::vector<std::unique_ptr<AtomicFile>> staged;
  staged.reserve(files.size());
  for (const FileText& f : files) {
    staged.push_back(std::make_unique<AtomicFile>(f.path));
    staged.back()->stream() << f.text;
    staged.back()->finish_writing();
  }
  for (auto& file : staged) file->commit();
}

}  // namespace tessera
