#pragma once
// The deleter for a C library's handles: `std::unique_ptr<git_revwalk, Free<git_revwalk_free>>`
// frees the handle with its own function when the owner goes out of scope.

namespace mentorbot {

template <auto Fn>
struct Free {
  template <class T>
  void operator()(T* p) const noexcept {
    Fn(p);
  }
};

}  // namespace mentorbot
