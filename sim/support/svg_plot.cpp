#include "sim/support/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace tessera::cli {
namespace {

// Plot area margins (pixels): room for tick labels on the left and bottom,
// the title on top and the legend on the right.
constexpr int kLeft = 72, kRight = 170, kTop = 40, kBottom = 56;

// A colour-blind-friendly palette (Okabe & Ito 2008), cycled by series index.
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Shortest fixed formatting that reads well on an axis: 0.25, 3, 1e+06.
std::string number(double v) {
  if (v == 0) return "0";
  const double a = std::fabs(v);
  if (a >= 1e6 || a < 1e-3) return fmt::format("{:.3g}", v);
  std::string s = fmt::format("{:.3f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string bytes_label(double v) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return number(v) + " " + units[u];
}

struct Axis {
  SvgPlot::Scale scale;
  double lo, hi;  // data range (log axes: in log10 units)
  double p0, p1;  // pixel range
  double map(double v) const {
    const double t = scale == SvgPlot::Scale::kLog ? std::log10(v) : v;
    return p0 + (t - lo) / (hi - lo) * (p1 - p0);
  }
};

bool placeable(double v, SvgPlot::Scale scale) {
  return std::isfinite(v) && (scale == SvgPlot::Scale::kLinear || v > 0);
}

// Range of one axis in axis units (log10 for a log axis), widened for display.
void axis_range(const SvgPlot& plot, bool x, double& lo, double& hi) {
  const SvgPlot::Scale scale = x ? plot.x_scale : plot.y_scale;
  const double given_min = x ? plot.x_min : plot.y_min;
  const double given_max = x ? plot.x_max : plot.y_max;
  const bool log = scale == SvgPlot::Scale::kLog;
  if (given_min < given_max && (!log || given_min > 0)) {
    lo = log ? std::log10(given_min) : given_min;
    hi = log ? std::log10(given_max) : given_max;
    return;
  }
  lo = std::numeric_limits<double>::infinity();
  hi = -std::numeric_limits<double>::infinity();
  for (const SvgSeries& s : plot.series) {
    for (const auto& [px, py] : s.points) {
      if (!placeable(px, plot.x_scale) || !placeable(py, plot.y_scale)) continue;
      const double v = x ? px : py;
      const double t = log ? std::log10(v) : v;
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
  }
  if (!std::isfinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (log) {
    lo = std::floor(lo);
    hi = std::ceil(hi);
  } else if (lo >= 0) {
    lo = 0;
  }
  if (hi <= lo) hi = lo + 1;
}

// Tick positions in data units.
std::vector<double> ticks(double lo, double hi, SvgPlot::Scale scale, bool bytes) {
  std::vector<double> out;
  if (scale == SvgPlot::Scale::kLog) {
    if (bytes) {
      // Powers of two, every k-th so there are at most 8 labels.
      const int first = static_cast<int>(std::ceil(lo / std::log10(2.0) - 1e-9));
      const int last = static_cast<int>(std::floor(hi / std::log10(2.0) + 1e-9));
      const int step = std::max(1, (last - first + 7) / 8);
      for (int e = first; e <= last; e += step) out.push_back(std::ldexp(1.0, e));
    } else {
      const int step = std::max(1, static_cast<int>(std::ceil((hi - lo) / 8)));
      for (int e = static_cast<int>(std::ceil(lo)); e <= static_cast<int>(std::floor(hi));
           e += step) {
        out.push_back(std::pow(10.0, e));
      }
    }
    return out;
  }
  // Linear: a 1/2/5 x 10^k step giving 4 to 10 ticks.
  const double raw = (hi - lo) / 6;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return out;
}

}  // namespace

std::string SvgPlot::render() const {
  Axis xa{x_scale, 0, 1, double(kLeft), double(width - kRight)};
  Axis ya{y_scale, 0, 1, double(height - kBottom), double(kTop)};
  axis_range(*this, true, xa.lo, xa.hi);
  axis_range(*this, false, ya.lo, ya.hi);

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height, width, height);
  svg += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n", width, height);
  if (!title.empty()) {
    svg +=
        fmt::format("<text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{}</text>\n",
                    (kLeft + width - kRight) / 2, escape(title));
  }

  // Grid and tick labels.
  const double x_lo_v = x_scale == Scale::kLog ? std::pow(10.0, xa.lo) : xa.lo;
  const double x_hi_v = x_scale == Scale::kLog ? std::pow(10.0, xa.hi) : xa.hi;
  for (double t : ticks(xa.lo, xa.hi, x_scale, x_bytes)) {
    if (t < x_lo_v * (1 - 1e-9) || t > x_hi_v * (1 + 1e-9)) continue;
    const double px = xa.map(t);
    svg +=
        fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#dddddd\"/>\n",
                    px, kTop, px, height - kBottom);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px,
                       height - kBottom + 16, escape(x_bytes ? bytes_label(t) : number(t)));
  }
  for (double t : ticks(ya.lo, ya.hi, y_scale, false)) {
    const double py = ya.map(t);
    svg +=
        fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#dddddd\"/>\n",
                    kLeft, py, width - kRight, py);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6,
                       py + 4, escape(number(t)));
  }
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n",
      kLeft, kTop, width - kRight - kLeft, height - kBottom - kTop);
  if (!x_label.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       (kLeft + width - kRight) / 2, height - 14, escape(x_label));
  }
  if (!y_label.empty()) {
    svg += fmt::format(
        "<text x=\"16\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 16 "
        "{})\">{}</text>\n",
        (kTop + height - kBottom) / 2, (kTop + height - kBottom) / 2, escape(y_label));
  }

  // Series, then the legend.
  for (std::size_t i = 0; i < series.size(); ++i) {
    const SvgSeries& s = series[i];
    const char* colour = kColours[i % (sizeof(kColours) / sizeof(kColours[0]))];
    std::string points;
    for (const auto& [x, y] : s.points) {
      if (!placeable(x, x_scale) || !placeable(y, y_scale)) continue;
      points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", xa.map(x), ya.map(y));
    }
    svg += fmt::format("<g id=\"series-{}\">\n", i);
    if (s.line && !points.empty()) {
      svg +=
          fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n",
                      colour, points);
    }
    if (s.markers) {
      for (const auto& [x, y] : s.points) {
        if (!placeable(x, x_scale) || !placeable(y, y_scale)) continue;
        svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", xa.map(x),
                           ya.map(y), colour);
      }
    }
    svg += "</g>\n";
    const int ly = kTop + 10 + static_cast<int>(i) * 18;
    const int lx = width - kRight + 14;
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>\n", lx,
        ly, lx + 22, ly, colour);
    svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", lx + 28, ly + 4, escape(s.name));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace tessera::cli
