// CIELAB, CIEDE2000 and the Machado et al. (2009) simulation of dichromacy.

#include "choro/styles/color_vision.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace choro::styles {

namespace {

[[nodiscard]] double to_linear(double c) noexcept {
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
[[nodiscard]] double from_linear(double c) noexcept {
    return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}
[[nodiscard]] std::uint8_t to_byte(double v) noexcept {
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
}

// D65 white point of sRGB.
constexpr double xn = 0.95047;
constexpr double zn = 1.08883;
[[nodiscard]] double lab_f(double t) noexcept {
    return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
}
[[nodiscard]] double lab_finv(double t) noexcept {
    return t * t * t > 216.0 / 24389.0 ? t * t * t : (116.0 * t - 16.0) * 27.0 / 24389.0;
}

using Matrix = std::array<std::array<double, 3>, 3>;

// Machado, Oliveira and Fernandes (2009), table of simulation matrices, severity 1.0; they act on
// linear RGB. Each row sums to 1, so greys stay grey.
constexpr Matrix protanopia{
    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}};
constexpr Matrix deuteranopia{
    {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}};
constexpr Matrix tritanopia{
    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}};

[[nodiscard]] double radians(double deg) noexcept {
    return deg * std::numbers::pi / 180.0;
}
[[nodiscard]] double degrees(double rad) noexcept {
    return rad * 180.0 / std::numbers::pi;
}

}  // namespace

Lab to_lab(Color c) noexcept {
    const double r = to_linear(c.r / 255.0);
    const double g = to_linear(c.g / 255.0);
    const double b = to_linear(c.b / 255.0);
    const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / xn;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / zn;
    return {116.0 * lab_f(y) - 16.0, 500.0 * (lab_f(x) - lab_f(y)), 200.0 * (lab_f(y) - lab_f(z))};
}

Color from_lab(const Lab& lab) noexcept {
    const double fy = (lab.l + 16.0) / 116.0;
    const double x = xn * lab_finv(fy + lab.a / 500.0);
    const double y = lab_finv(fy);
    const double z = zn * lab_finv(fy - lab.b / 200.0);
    const double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
    const double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
    const double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
    return Color{to_byte(from_linear(r)), to_byte(from_linear(g)), to_byte(from_linear(b)), 255};
}

double ciede2000(const Lab& x, const Lab& y) noexcept {
    constexpr double pow25_7 = 6103515625.0;  // 25^7
    const double c1 = std::hypot(x.a, x.b);
    const double c2 = std::hypot(y.a, y.b);
    const double c_mean7 = std::pow((c1 + c2) / 2.0, 7.0);
    const double g = 0.5 * (1.0 - std::sqrt(c_mean7 / (c_mean7 + pow25_7)));
    const double a1 = (1.0 + g) * x.a;
    const double a2 = (1.0 + g) * y.a;
    const double cp1 = std::hypot(a1, x.b);
    const double cp2 = std::hypot(a2, y.b);
    // Hue angles in degrees, 0 for a neutral colour (Sharma et al., eq. 4 and note 1).
    const auto hue = [](double b, double a) {
        if (a == 0.0 && b == 0.0) {
            return 0.0;
        }
        const double h = degrees(std::atan2(b, a));
        return h < 0.0 ? h + 360.0 : h;
    };
    const double h1 = hue(x.b, a1);
    const double h2 = hue(y.b, a2);
    const bool neutral = cp1 * cp2 == 0.0;

    const double dl = y.l - x.l;
    const double dc = cp2 - cp1;
    double dh = 0.0;
    if (!neutral) {
        dh = h2 - h1;
        if (dh > 180.0) {
            dh -= 360.0;
        } else if (dh < -180.0) {
            dh += 360.0;
        }
    }
    const double dh_big = 2.0 * std::sqrt(cp1 * cp2) * std::sin(radians(dh / 2.0));

    const double l_mean = (x.l + y.l) / 2.0;
    const double cp_mean = (cp1 + cp2) / 2.0;
    double h_mean = h1 + h2;
    if (!neutral) {
        if (std::abs(h1 - h2) > 180.0) {
            h_mean += h_mean < 360.0 ? 360.0 : -360.0;
        }
        h_mean /= 2.0;
    }
    const double t = 1.0 - 0.17 * std::cos(radians(h_mean - 30.0)) + 0.24 * std::cos(radians(2.0 * h_mean)) +
                     0.32 * std::cos(radians(3.0 * h_mean + 6.0)) - 0.20 * std::cos(radians(4.0 * h_mean - 63.0));
    const double d_theta = 30.0 * std::exp(-std::pow((h_mean - 275.0) / 25.0, 2.0));
    const double cp_mean7 = std::pow(cp_mean, 7.0);
    const double rc = 2.0 * std::sqrt(cp_mean7 / (cp_mean7 + pow25_7));
    const double l50 = (l_mean - 50.0) * (l_mean - 50.0);
    const double sl = 1.0 + 0.015 * l50 / std::sqrt(20.0 + l50);
    const double sc = 1.0 + 0.045 * cp_mean;
    const double sh = 1.0 + 0.015 * cp_mean * t;
    const double rt = -std::sin(radians(2.0 * d_theta)) * rc;
    const double tl = dl / sl;
    const double tc = dc / sc;
    const double th = dh_big / sh;
    return std::sqrt(std::max(0.0, tl * tl + tc * tc + th * th + rt * tc * th));
}

double delta_e00(Color x, Color y) noexcept {
    return ciede2000(to_lab(x), to_lab(y));
}

const char* deficiency_name(Deficiency d) noexcept {
    switch (d) {
        case Deficiency::deuteranopia:
            return "deuteranopia";
        case Deficiency::protanopia:
            return "protanopia";
        case Deficiency::tritanopia:
            return "tritanopia";
    }
    return "deuteranopia";
}

Color simulate(Color c, Deficiency d) noexcept {
    const Matrix& m = d == Deficiency::protanopia   ? protanopia
                      : d == Deficiency::tritanopia ? tritanopia
                                                    : deuteranopia;
    const std::array<double, 3> in{to_linear(c.r / 255.0), to_linear(c.g / 255.0), to_linear(c.b / 255.0)};
    std::array<std::uint8_t, 3> out{};
    for (std::size_t i = 0; i < 3; ++i) {
        const double v = m[i][0] * in[0] + m[i][1] * in[1] + m[i][2] * in[2];
        out[i] = to_byte(from_linear(std::clamp(v, 0.0, 1.0)));
    }
    return Color{out[0], out[1], out[2], c.a};
}

std::vector<ColorVisionIssue> color_vision_issues(std::span<const Color> classes, double threshold) {
    std::vector<ColorVisionIssue> issues;
    for (const Deficiency d : {Deficiency::deuteranopia, Deficiency::protanopia, Deficiency::tritanopia}) {
        for (std::size_t i = 0; i + 1 < classes.size(); ++i) {
            const double de = delta_e00(simulate(classes[i], d), simulate(classes[i + 1], d));
            if (de < threshold) {
                issues.push_back({d, i, de});
            }
        }
    }
    return issues;
}

std::vector<std::string> color_vision_warnings(std::span<const Color> classes,
                                               const std::string& palette_name,
                                               std::span<const std::string> class_names,
                                               double threshold) {
    const auto issues = color_vision_issues(classes, threshold);
    const auto name_of = [&](std::size_t i) {
        return i < class_names.size() ? "'" + class_names[i] + "'" : std::to_string(i + 1);
    };
    const auto number = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", v);
        return std::string(buf);
    };
    std::vector<std::string> lines;
    for (std::size_t k = 0; k < issues.size();) {
        const Deficiency d = issues[k].deficiency;
        std::string pairs;
        double worst = issues[k].delta_e;
        std::size_t count = 0;
        for (; k < issues.size() && issues[k].deficiency == d; ++k, ++count) {
            pairs += std::string(count ? ", " : "") + name_of(issues[k].lower) + " and " + name_of(issues[k].lower + 1);
            worst = std::min(worst, issues[k].delta_e);
        }
        lines.push_back("palette '" + palette_name + "': with " + deficiency_name(d) + ", neighbouring classes " +
                        pairs + " look alike (CIEDE2000 ΔE " + number(worst) + (count > 1 ? " at the closest" : "") +
                        " < " + number(threshold) + "); a ColorBrewer sequential scheme or viridis keeps them apart");
    }
    return lines;
}

}  // namespace choro::styles
