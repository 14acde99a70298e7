// libqcow / libvhdi behind tsk_img_open_external. The two libraries share libyal's API shape, so one
// template adapts both; each gets a small traits struct naming its functions.
#include "image/yal_image.h"

#include <libqcow.h>
#include <libvhdi.h>

#include <array>
#include <cstring>
#include <fstream>

namespace regpersist::image {
namespace {

struct Qcow {
  using File = libqcow_file_t;
  using ErrorType = libqcow_error_t;
  static constexpr const char* kFormat = "qcow2";
  static int initialize(File** f, ErrorType** e) { return libqcow_file_initialize(f, e); }
  static int open(File* f, const char* path, ErrorType** e) { return libqcow_file_open(f, path, LIBQCOW_OPEN_READ, e); }
  static int media_size(File* f, size64_t* size, ErrorType** e) { return libqcow_file_get_media_size(f, size, e); }
  static ssize_t read(File* f, void* buf, size_t len, off64_t off, ErrorType** e) {
    return libqcow_file_read_buffer_at_offset(f, buf, len, off, e);
  }
  static void release(File** f) {
    libqcow_file_close(*f, nullptr);
    libqcow_file_free(f, nullptr);
  }
  static std::string message(ErrorType* e) {
    std::array<char, 512> text{};
    libqcow_error_sprint(e, text.data(), text.size());
    libqcow_error_free(&e);
    return text.data();
  }
};

struct Vhdi {
  using File = libvhdi_file_t;
  using ErrorType = libvhdi_error_t;
  static constexpr const char* kFormat = "VHDX";
  static int initialize(File** f, ErrorType** e) { return libvhdi_file_initialize(f, e); }
  static int open(File* f, const char* path, ErrorType** e) { return libvhdi_file_open(f, path, LIBVHDI_OPEN_READ, e); }
  static int media_size(File* f, size64_t* size, ErrorType** e) { return libvhdi_file_get_media_size(f, size, e); }
  static ssize_t read(File* f, void* buf, size_t len, off64_t off, ErrorType** e) {
    return libvhdi_file_read_buffer_at_offset(f, buf, len, off, e);
  }
  static void release(File** f) {
    libvhdi_file_close(*f, nullptr);
    libvhdi_file_free(f, nullptr);
  }
  static std::string message(ErrorType* e) {
    std::array<char, 512> text{};
    libvhdi_error_sprint(e, text.data(), text.size());
    libvhdi_error_free(&e);
    return text.data();
  }
};

// TSK_IMG_INFO must come first: libtsk hands this object back to the callbacks as a TSK_IMG_INFO*.
template <class Api>
struct ExternalImage {
  TSK_IMG_INFO info{};
  typename Api::File* file = nullptr;
};

template <class Api>
ssize_t read_external(TSK_IMG_INFO* info, TSK_OFF_T offset, char* buffer, size_t length) {
  auto* image = reinterpret_cast<ExternalImage<Api>*>(info);
  typename Api::ErrorType* error = nullptr;
  const ssize_t got = Api::read(image->file, buffer, length, offset, &error);
  if (got < 0) {
    tsk_error_reset();
    tsk_error_set_errno(TSK_ERR_IMG_READ);
    tsk_error_set_errstr("%s read at offset %lld: %s", Api::kFormat, static_cast<long long>(offset),
                         Api::message(error).c_str());
  }
  return got;
}

// libtsk's tsk_img_close only calls this; the cache lock is a plain pthread mutex needing no release.
template <class Api>
void close_external(TSK_IMG_INFO* info) {
  auto* image = reinterpret_cast<ExternalImage<Api>*>(info);
  Api::release(&image->file);
  delete image;
}

template <class Api>
void stat_external(TSK_IMG_INFO*, FILE* out) {
  std::fprintf(out, "Image Type: %s (external)\n", Api::kFormat);
}

template <class Api>
ImageHandle open_with(const std::string& path, unsigned sector_size) {
  auto image = std::make_unique<ExternalImage<Api>>();
  typename Api::ErrorType* error = nullptr;
  size64_t size = 0;
  if (Api::initialize(&image->file, &error) != 1) throw Error(path, Api::message(error));
  if (Api::open(image->file, path.c_str(), &error) != 1 || Api::media_size(image->file, &size, &error) != 1) {
    const std::string reason = Api::message(error);
    Api::release(&image->file);
    throw Error(path, std::string("cannot open as ") + Api::kFormat + ": " + reason);
  }
  TSK_IMG_INFO* info =
      tsk_img_open_external(image.get(), static_cast<TSK_OFF_T>(size), sector_size == 0 ? 512 : sector_size,
                            read_external<Api>, close_external<Api>, stat_external<Api>);
  if (!info) {
    Api::release(&image->file);
    throw Error(path, "libtsk refused the " + std::string(Api::kFormat) + " image: " + take_tsk_error());
  }
  image.release();
  return ImageHandle(info, ImageCloser{});
}

std::array<char, 8> read_signature(const std::string& path) {
  std::array<char, 8> signature{};
  std::ifstream in(path, std::ios::binary);
  in.read(signature.data(), signature.size());
  return signature;
}

}  // namespace

ImageHandle open_yal_image(const std::string& path, unsigned sector_size) {
  const auto signature = read_signature(path);
  if (std::memcmp(signature.data(), "QFI\xfb", 4) == 0) return open_with<Qcow>(path, sector_size);
  if (std::memcmp(signature.data(), "vhdxfile", 8) == 0) return open_with<Vhdi>(path, sector_size);
  return nullptr;
}

}  // namespace regpersist::image
