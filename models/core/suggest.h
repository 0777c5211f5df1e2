// "Did you mean ...?" for names a user mistyped: config keys, enum values,
// policies, devices, presets, commands. A suggestion is made only when one
// known name is clearly the intended one, so a wrong guess is rare:
//   - the word is the beginning of exactly one name ("h100" -> "h100-sxm"); or
//   - it differs by at most max(1, length / 3) single-character edits
//     (insert, delete, substitute, swap two neighbours; case ignored), no
//     other name is as close, and for words under 5 letters the first letter
//     agrees.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tessera {

namespace suggest_detail {

inline char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Optimal string alignment distance (Levenshtein plus adjacent swaps), case
// ignored: "lur" is one edit from "lru", "DDR4" none from "ddr4".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[m];
}

inline bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(text[i]) != lower(prefix[i])) return false;
  }
  return true;
}

}  // namespace suggest_detail

// The known name `word` most likely meant, or "" when none is clearly it.
template <typename Names>
std::string closest_name(std::string_view word, const Names& names) {
  if (word.empty()) return "";
  // A unique longer name the word begins ("h100" for "h100-sxm", though
  // "h200" is one edit away).
  if (word.size() >= 2) {
    std::string prefix_match;
    bool unique = true;
    for (const auto& name : names) {
      const std::string_view candidate(name);
      if (candidate.size() > word.size() &&
          suggest_detail::starts_with_ignoring_case(candidate, word)) {
        unique = unique && prefix_match.empty();
        prefix_match = std::string(candidate);
      }
    }
    if (!prefix_match.empty() && unique) return prefix_match;
  }
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  bool tie = false;
  for (const auto& name : names) {
    const std::string_view candidate(name);
    if (candidate == word) continue;
    // In a short word one edit is a third of it: "rnn" is not a typo of
    // "cnn". Short words must at least begin alike ("lur" -> "lru").
    if (word.size() < 5 && suggest_detail::lower(word[0]) != suggest_detail::lower(candidate[0])) {
      continue;
    }
    const std::size_t d = suggest_detail::edit_distance(word, candidate);
    if (d < best_distance) {
      best = std::string(candidate);
      best_distance = d;
      tie = false;
    } else if (d == best_distance && candidate != best) {
      tie = true;
    }
  }
  return tie ? std::string() : best;
}

// " (did you mean 'NAME'?)" for appending to a message, or "".
template <typename Names>
std::string did_you_mean(std::string_view word, const Names& names) {
  const std::string name = closest_name(word, names);
  return name.empty() ? std::string() : " (did you mean '" + name + "'?)";
}

}  // namespace tessera
