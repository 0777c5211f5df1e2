// The SVG line-plot writer: structure, scales, legend, escaping, and
// determinism (same input, same bytes).
#include <gtest/gtest.h>

#include "sim/support/svg_plot.h"

namespace tessera::cli {
namespace {

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

SvgPlot sample() {
  SvgPlot plot;
  plot.title = "Miss ratio <by> policy & size";
  plot.x_label = "capacity";
  plot.y_label = "miss ratio";
  plot.x_scale = SvgPlot::Scale::kLog;
  plot.x_bytes = true;
  plot.y_min = 0;
  plot.y_max = 1;
  plot.series.push_back({"lru", {{1024, 0.9}, {4096, 0.5}, {16384, 0.25}}});
  plot.series.push_back({"belady", {{1024, 0.8}, {4096, 0.4}, {0, 0.3}, {16384, 0.1}}});
  return plot;
}

TEST(SvgPlot, OneLineAndOneLegendEntryPerSeries) {
  const std::string svg = sample().render();
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"440\"", 0),
            0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(count(svg, "<polyline"), 2);
  EXPECT_EQ(count(svg, ">lru</text>"), 1);
  EXPECT_EQ(count(svg, ">belady</text>"), 1);
  // The x = 0 point cannot sit on a log axis: 3 + 3 markers, not 7.
  EXPECT_EQ(count(svg, "<circle"), 6);
  EXPECT_NE(svg.find("Miss ratio &lt;by&gt; policy &amp; size"), std::string::npos);
}

TEST(SvgPlot, LogByteAxisIsLabelledInBinaryUnits) {
  const std::string svg = sample().render();
  // The x range widens to whole decades (1e3 .. 1e5): powers of two in it.
  EXPECT_NE(svg.find(">1 KiB</text>"), std::string::npos);
  EXPECT_NE(svg.find(">16 KiB</text>"), std::string::npos);
  EXPECT_NE(svg.find(">64 KiB</text>"), std::string::npos);
}

TEST(SvgPlot, PointsMapOntoThePlotArea) {
  SvgPlot plot;  // linear axes, fixed ranges: x 0..10 onto 72..550, y 0..1 onto 384..40
  plot.x_min = 0;
  plot.x_max = 10;
  plot.y_min = 0;
  plot.y_max = 1;
  plot.series.push_back({"s", {{0, 0}, {10, 1}, {5, 0.5}}});
  const std::string svg = plot.render();
  EXPECT_NE(svg.find("points=\"72.0,384.0 550.0,40.0 311.0,212.0\""), std::string::npos) << svg;
}

TEST(SvgPlot, DeterministicOutput) {
  EXPECT_EQ(sample().render(), sample().render());
}

}  // namespace
}  // namespace tessera::cli
