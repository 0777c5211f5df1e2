// "Did you mean ...?": which names are suggested for which typos, and that
// nothing is suggested when no name is clearly meant.
#include "models/core/suggest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera {
namespace {

TEST(Suggest, EditDistanceCountsSwapsAsOneAndIgnoresCase) {
  using suggest_detail::edit_distance;
  EXPECT_EQ(edit_distance("lru", "lru"), 0u);
  EXPECT_EQ(edit_distance("lur", "lru"), 1u);  // adjacent swap
  EXPECT_EQ(edit_distance("num_layer", "num_layers"), 1u);
  EXPECT_EQ(edit_distance("ddr4-3200", "DDR4-3200"), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);  // the textbook Levenshtein case
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Suggest, OneClearlyClosestNameIsSuggested) {
  const std::vector<std::string> policies{"arc", "belady", "fifo", "lfu", "lru", "sieve"};
  EXPECT_EQ(closest_name("lur", policies), "lru");
  EXPECT_EQ(closest_name("fifi", policies), "fifo");
  EXPECT_EQ(did_you_mean("belday", policies), " (did you mean 'belady'?)");
  const std::vector<std::string> keys{"num_layers", "num_heads", "seq_length"};
  EXPECT_EQ(closest_name("num_layer", keys), "num_layers");
  EXPECT_EQ(closest_name("heads", keys), "");  // 4 edits from 5 letters: too far
}

TEST(Suggest, CaseOnlyDifferencesAreSuggested) {
  const std::vector<std::string> presets{"DDR4-3200", "DDR5-4800", "HBM3"};
  EXPECT_EQ(closest_name("ddr4-3200", presets), "DDR4-3200");
}

TEST(Suggest, AUniquePrefixIsSuggested) {
  const std::vector<std::string> devices{"a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm", "h200"};
  EXPECT_EQ(closest_name("h100", devices), "h100-sxm");
  EXPECT_EQ(closest_name("seq_len", std::vector<std::string>{"seq_length", "num_heads"}),
            "seq_length");
  // Two names begin with "a100": neither is clearly meant.
  EXPECT_EQ(closest_name("a100", devices), "");
}

TEST(Suggest, TiesAndFarWordsGetNoSuggestion) {
  // "lfu" and "lru" are both one edit from "lxu".
  EXPECT_EQ(closest_name("lxu", std::vector<std::string>{"lfu", "lru"}), "");
  // One edit in a short word that begins differently is another word.
  EXPECT_EQ(closest_name("rnn", std::vector<std::string>{"transformer", "cnn"}), "");
  EXPECT_EQ(closest_name("RNN", std::vector<std::string>{"Transformer", "CNN", "MLP"}), "");
  EXPECT_EQ(closest_name("frobnicate", std::vector<std::string>{"trace", "run", "check"}), "");
  EXPECT_EQ(did_you_mean("zzz", std::vector<std::string>{"lru"}), "");
  EXPECT_EQ(closest_name("", std::vector<std::string>{"lru"}), "");
  // The word itself is not suggested back.
  EXPECT_EQ(closest_name("lru", std::vector<std::string>{"lru"}), "");
}

}  // namespace
}  // namespace tessera
