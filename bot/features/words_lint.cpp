#include "features/words_lint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "core/ascii.hpp"

// Plain scanning, no std::regex: a template comes from a repository and may be long, and
// libstdc++'s regex recurses once per character it repeats over.
namespace mentorbot::features {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The source with every {{tag}} blanked out (kept the same length, so lines stay where they are).
std::string without_tags(std::string s) {
  for (std::size_t at = s.find("{{"); at != std::string::npos; at = s.find("{{", at)) {
    auto end = s.find("}}", at);
    end = end == std::string::npos ? s.size() : end + 2;
    if (end < s.size() && s[end] == '}') ++end;  // {{{value}}}
    for (auto i = at; i < end; ++i) {
      if (s[i] != '\n') s[i] = ' ';
    }
    at = end;
  }
  return s;
}

int line_at(const std::string& s, std::size_t offset) {
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

int word_count(const std::string& s) {
  // A word: a run without spaces that holds a letter or a digit.
  int n = 0;
  bool counted = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      counted = false;
    } else if (!counted && std::isalnum(static_cast<unsigned char>(c))) {
      ++n;
      counted = true;
    }
  }
  return n;
}

// A question a person can answer in more than a word: a sentence ending in "?" that opens with
// what, how, why, which, where, when, who, "tell" or "is there".
bool has_open_question(const std::string& text) {
  static constexpr std::array<std::string_view, 8> openers{"what", "how", "why", "which", "where", "when", "who", "tell"};
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '?' && c != '.' && c != '!' && c != ':' && c != '\n') continue;
    if (c == '?') {
      auto sentence = std::string_view(text).substr(start, i - start);
      while (!sentence.empty() && !std::isalpha(static_cast<unsigned char>(sentence.front()))) sentence.remove_prefix(1);
      std::size_t end = 0;
      while (end < sentence.size() && std::isalpha(static_cast<unsigned char>(sentence[end]))) ++end;
      auto first = ascii_lower(sentence.substr(0, end));
      if (std::find(openers.begin(), openers.end(), first) != openers.end()) return true;
      if (first == "is" && ascii_lower(sentence.substr(0, std::min<std::size_t>(9, sentence.size()))) == "is there ") return true;
    }
    start = i + 1;
  }
  return false;
}

}  // namespace

std::vector<WordsWarning> lint_words(const std::string& name, const std::string& source, const std::string& rendered) {
  std::vector<WordsWarning> out;
  auto text = without_tags(source);
  static constexpr std::array<std::string_view, 5> belittling{"just", "simply", "obviously", "easy", "trivial"};
  // At most a few of each kind: one is enough to look again, and a long file stays cheap.
  constexpr int most_each = 5;
  int found = 0;
  for (std::size_t i = 0; i < text.size() && found < most_each;) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && word_char(text[end])) ++end;
    auto word = ascii_lower(std::string_view(text).substr(i, end - i));
    if (std::find(belittling.begin(), belittling.end(), word) != belittling.end()) {
      ++found;
      out.push_back({line_at(text, i), "\"" + word + "\" can make a newcomer feel slow when it isn't " + word +
                                           " for them; leave it out or say what makes the step short"});
    }
    i = end;
  }
  // @org/team: an @ not inside a word or a code span's tick, an owner, a slash and a team.
  auto owner_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
  auto team_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
  found = 0;
  for (auto at = text.find('@'); at != std::string::npos && found < most_each; at = text.find('@', at + 1)) {
    if (at > 0 && (word_char(text[at - 1]) || text[at - 1] == '`')) continue;
    std::size_t i = at + 1;
    if (i >= text.size() || !std::isalnum(static_cast<unsigned char>(text[i]))) continue;
    while (i < text.size() && owner_char(text[i])) ++i;
    if (i >= text.size() || text[i] != '/' || i + 1 >= text.size() || !team_char(text[i + 1])) continue;
    ++i;
    while (i < text.size()) {
      if (team_char(text[i])) {
        ++i;
      } else if (text[i] == '.' && i + 1 < text.size() && team_char(text[i + 1])) {
        i += 2;
      } else {
        break;
      }
    }
    auto team = text.substr(at + 1, i - at - 1);
    ++found;
    out.push_back({line_at(text, at), "@" + team + " pings the whole team every time; name it in `reviewers` for the nudge, "
                                      "or write it as `" + team + "` without the @"});
  }
  auto lower = ascii_lower(rendered);
  if ((name == "welcome" || name == "closed_unmerged") && lower.find("thank") == std::string::npos) {
    out.push_back({0, "no thanks: a first contribution deserves a thank-you"});
  }
  if (name == "welcome" && !has_open_question(rendered)) {
    out.push_back({0, "no open question (what, how, why…?): one gives a newcomer a reason to answer"});
  }
  if (int n = word_count(rendered); n > most_words) {
    out.push_back({0, std::to_string(n) + " words with the sample values; over " + std::to_string(most_words) +
                          ", a first-day reader skims"});
  }
  return out;
}

}  // namespace mentorbot::features
