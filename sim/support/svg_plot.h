// A small dependency-free SVG line plot: one or more named series of (x, y)
// points, linear or logarithmic axes, tick labels, axis titles and a legend.
// Used for miss-ratio curves, roofline plots and sweeps.
//
//   SvgPlot plot;
//   plot.title = "Miss-ratio curve";
//   plot.x_label = "capacity (bytes)";
//   plot.y_label = "miss ratio";
//   plot.x_scale = SvgPlot::Scale::kLog;
//   plot.series.push_back({"lru", {{1024, 0.9}, {4096, 0.5}}});
//   write_file_atomically("mrc.svg", plot.render());
//
// Output is deterministic (fixed number formatting, series in the given
// order, colours by series index), so SVGs can be golden-tested.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tessera::cli {

struct SvgSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in the given order
  bool markers = true;                            // a dot at every point
  bool line = true;                               // a polyline through the points
};

struct SvgPlot {
  enum class Scale { kLinear, kLog };

  std::string title;
  std::string x_label;
  std::string y_label;
  Scale x_scale = Scale::kLinear;
  Scale y_scale = Scale::kLinear;
  // Axis ranges; when min >= max the range is taken from the data (a log axis
  // is widened to whole decades, a linear one starts at 0 when all data >= 0).
  double x_min = 0, x_max = 0;
  double y_min = 0, y_max = 0;
  int width = 720, height = 440;  // pixels
  // Tick labels for a log axis of byte sizes read "1 KiB", "1 MiB" when true.
  bool x_bytes = false;
  std::vector<SvgSeries> series;

  // The whole SVG document. Points with a non-positive coordinate on a log
  // axis, or a non-finite one, are skipped (they cannot be placed).
  std::string render() const;
};

}  // namespace tessera::cli
