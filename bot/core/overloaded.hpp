#pragma once
// std::visit with one lambda per alternative: `std::visit(Overloaded{[](const A&) {…}, [](const B&) {…}}, v)`.
// A variant alternative without a lambda does not compile.

namespace mentorbot {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace mentorbot
