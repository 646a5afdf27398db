// The CSV export of a sprint (http/sprint_board.cpp): hostile logins, titles and reasons. Every
// record has the same number of fields, and no cell starts a spreadsheet formula.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>
#include <vector>

#include "http/sprint_board.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<mentorbot::store::coins::Award> awards;
  while (in.remaining_bytes() > 0 && awards.size() < 20) {
    mentorbot::store::coins::Award a;
    a.kind = in.PickValueInArray({"merge", "mentor", "award"});
    a.login = in.ConsumeRandomLengthString(40);
    a.repo = in.ConsumeRandomLengthString(40);
    a.title = in.ConsumeRandomLengthString(200);
    a.reason = in.ConsumeRandomLengthString(100);
    a.number = in.ConsumeIntegral<std::int64_t>();
    a.awarded_at = in.ConsumeIntegral<std::int64_t>();
    awards.push_back(std::move(a));
  }
  (void)mentorbot::http::to_csv(awards);
  return 0;
}
