#include "choro/geo/error.hpp"

#include <utility>

namespace choro {

namespace {

std::string input_message(const std::string& path, const std::string& what, std::size_t line,
                          const std::string& column, const std::string& feature) {
    std::string msg = path;
    if (line > 0) {
        msg += ":" + std::to_string(line);
    }
    msg += ": ";
    if (!feature.empty()) {
        msg += "feature " + feature + ": ";
    }
    if (!column.empty()) {
        msg += "column '" + column + "': ";
    }
    return msg + what;
}

}  // namespace

InputError::InputError(std::string path, std::string what, std::size_t line, std::string column, std::string feature)
    : Error(input_message(path, what, line, column, feature)),
      m_path(std::move(path)),
      m_line(line),
      m_column(std::move(column)),
      m_feature(std::move(feature)),
      m_reason(std::move(what)) {}

JobError::JobError(std::string path, std::size_t line, std::size_t column, std::string what)
    : Error((path.empty() ? std::string("job") : path) + (line ? ":" + std::to_string(line) : "") +
            (column ? ":" + std::to_string(column) : "") + ": " + what),
      m_path(std::move(path)),
      m_line(line),
      m_column(column) {}

ProjectionError::ProjectionError(std::string crs, int proj_code, std::string what)
    : Error("projection '" + crs + "': " + what + (proj_code ? " (PROJ error " + std::to_string(proj_code) + ")" : "")),
      m_crs(std::move(crs)),
      m_code(proj_code) {}

RenderError::RenderError(std::string path, std::string what)
    : Error((path.empty() ? std::string() : path + ": ") + what), m_path(std::move(path)) {}

}  // namespace choro
