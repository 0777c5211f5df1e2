#include <gtest/gtest.h>

#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/core/error.h"

namespace tessera::config {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigNode, ReadsTypedScalarsWithUnits) {
  auto tree = parse_tree("a: 12\nb: 64KiB\nc: 1.5GHz\nd: 10ns\ne: true\nf: 0.25\n", "t.yaml");
  Node doc(*tree);
  EXPECT_EQ(doc.at("a").as_u64(), 12u);
  EXPECT_EQ(doc.at("b").as_bytes(), 65536u);
  EXPECT_EQ(doc.at("c").as_frequency_hz(), 1'500'000'000u);
  EXPECT_EQ(doc.at("d").as_time_ps(), 10'000u);
  EXPECT_TRUE(doc.at("e").as_bool());
  EXPECT_DOUBLE_EQ(doc.at("f").as_double(0, 1), 0.25);
  EXPECT_EQ(doc.u64_or("missing", 7), 7u);
}

TEST(ConfigNode, WrongTypeNamesFileLineColumnKeyExpectedAndFound) {
  auto tree = parse_tree("workload:\n  layers: many\n", "exp.yaml");
  Node doc(*tree);
  EXPECT_EQ(error_of([&] { doc.at("workload").at("layers").as_u64(1); }),
            "exp.yaml:2:11: workload.layers: expected an integer >= 1, found 'many'");
}

TEST(ConfigNode, OutOfRangeIsAnError) {
  auto tree = parse_tree("p: 1.5\n", "x.yaml");
  Node doc(*tree);
  EXPECT_EQ(error_of([&] { doc.at("p").as_double(0, 1); }),
            "x.yaml:1:4: p: expected a number in [0, 1], found '1.5'");
}

TEST(ConfigNode, UnknownKeyListsKnownKeys) {
  auto tree = parse_tree("name: a\nsede: 3\n", "e.yaml");
  Node doc(*tree);
  EXPECT_EQ(error_of([&] {
              doc.allow_keys({"name", "seed"});
            }),
            "e.yaml:2:1: sede: expected one of the known keys (name, seed), found unknown key "
            "'sede' (did you mean 'seed'?)");
}

TEST(ConfigNode, MissingRequiredKeyPointsAtParent) {
  auto tree = parse_tree("workload:\n  family: mlp\n", "e.yaml");
  Node doc(*tree);
  EXPECT_EQ(error_of([&] { doc.at("workload").required("widths", "a list of layer widths"); }),
            "e.yaml:2:3: workload.widths: expected a list of layer widths (required), found "
            "nothing");
}

TEST(ConfigNode, EnumListsChoices) {
  auto tree = parse_tree("family: rnn\n", "e.yaml");
  Node doc(*tree);
  EXPECT_EQ(error_of([&] {
              doc.at("family").as_enum({"transformer", "cnn"});
            }),
            "e.yaml:1:9: family: expected one of transformer, cnn, found 'rnn'");
}

TEST(ConfigNode, EnumTypoSuggestsTheNearChoice) {
  auto tree = parse_tree("family: tranformer\n", "e.yaml");
  Node doc(*tree);
  EXPECT_EQ(error_of([&] {
              doc.at("family").as_enum({"transformer", "cnn"});
            }),
            "e.yaml:1:9: family: expected one of transformer, cnn, found 'tranformer' (did you "
            "mean 'transformer'?)");
}

TEST(ConfigNode, ScalarAsOneItemList) {
  auto tree = parse_tree("p: lru\nq: [a, b]\n", "e.yaml");
  Node doc(*tree);
  ASSERT_EQ(doc.at("p").items(true).size(), 1u);
  EXPECT_EQ(doc.at("q").items()[1].as_string(), "b");
  EXPECT_EQ(doc.at("q").items()[1].path(), "q[1]");
  EXPECT_NE(error_of([&] { doc.at("p").items(); }), "(no error)");
}

TEST(ConfigTree, SetOverridesReplaceAndCreateKeys) {
  auto tree = parse_tree("workload:\n  layers: 2\n", "e.yaml");
  apply_override(*tree, "workload.layers=4");
  apply_override(*tree, "replay.policies=[lru, fifo]");
  Node doc(*tree);
  EXPECT_EQ(doc.at("workload").at("layers").as_u64(), 4u);
  EXPECT_EQ(doc.at("replay").at("policies").items().size(), 2u);
  EXPECT_EQ(error_of([&] { apply_override(*tree, "novalue"); }),
            "--set novalue: expected key.path=value, found no '='");
}

TEST(ConfigTree, ErrorsInOverriddenValuesBlameSetAndNameTheKeyOnce) {
  auto tree = parse_tree("workload:\n  layers: 2\n", "e.yaml");
  apply_override(*tree, "workload.layers=many");
  apply_override(*tree, "workload.heads=three");
  Node w = Node(*tree).at("workload");
  EXPECT_EQ(error_of([&] { w.at("layers").as_u64(1); }),
            "--set: workload.layers: expected an integer >= 1, found 'many'");
  EXPECT_EQ(error_of([&] { w.at("heads").as_u64(1); }),
            "--set: workload.heads: expected an integer >= 1, found 'three'");
  EXPECT_EQ(error_of([&] { apply_override(*tree, "a=[1, 2"); }),
            "--set a=[1, 2: expected a YAML value after '=', found a syntax error");
}

TEST(ConfigTree, SyntaxErrorNamesPosition) {
  const std::string msg = error_of([] { parse_tree("a: [1, 2\n", "bad.yaml"); });
  EXPECT_EQ(msg.rfind("bad.yaml:", 0), 0u) << msg;
  EXPECT_NE(msg.find("expected valid YAML"), std::string::npos) << msg;
}

TEST(ConfigTree, DuplicateKeysAreErrors) {
  EXPECT_EQ(error_of([] { parse_tree("a: 1\na: 2\n", "d.yaml"); }),
            "d.yaml:2:1: a: expected each key once, found it twice");
}

}  // namespace
}  // namespace tessera::config
