#include "shapefile_writer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace choro::test {

namespace {

void put_be32(std::string& out, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>((u >> shift) & 0xFFu);
    }
}

void put_le32(std::string& out, std::uint32_t u) {
    for (int shift = 0; shift <= 24; shift += 8) {
        out += static_cast<char>((u >> shift) & 0xFFu);
    }
}

void put_le16(std::string& out, std::uint16_t u) {
    out += static_cast<char>(u & 0xFFu);
    out += static_cast<char>((u >> 8) & 0xFFu);
}

void put_double(std::string& out, double d) {
    static_assert(std::endian::native == std::endian::little, "the writer assumes a little-endian host");
    char bytes[sizeof d];
    std::memcpy(bytes, &d, sizeof d);
    out.append(bytes, sizeof d);
}

struct Bounds {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = std::numeric_limits<double>::infinity();
    double max_x = -std::numeric_limits<double>::infinity();
    double max_y = -std::numeric_limits<double>::infinity();
    void extend(double x, double y) {
        min_x = std::min(min_x, x);
        min_y = std::min(min_y, y);
        max_x = std::max(max_x, x);
        max_y = std::max(max_y, y);
    }
    [[nodiscard]] bool empty() const { return min_x > max_x; }
    void write(std::string& out) const {
        put_double(out, empty() ? 0.0 : min_x);
        put_double(out, empty() ? 0.0 : min_y);
        put_double(out, empty() ? 0.0 : max_x);
        put_double(out, empty() ? 0.0 : max_y);
    }
};

/// The 100-byte main file header; `words` is the file length in 16-bit words.
std::string file_header(std::int32_t words, const Bounds& b) {
    std::string h;
    put_be32(h, 9994);
    h.append(20, '\0');
    put_be32(h, words);
    put_le32(h, 1000);
    put_le32(h, 5);  // polygon
    b.write(h);
    h.append(32, '\0');  // z and m ranges
    return h;
}

}  // namespace

std::vector<std::pair<double, double>> clockwise_square(double x0, double y0, double x1, double y1) {
    return {{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}};
}

ShapefileBytes make_shapefile(const std::vector<ShpPolygon>& shapes,
                              const std::vector<DbfField>& fields,
                              const std::vector<std::vector<std::string>>& records,
                              std::uint8_t ldid) {
    if (records.size() != shapes.size()) {
        throw std::invalid_argument("make_shapefile: one DBF record per shape");
    }
    Bounds all;
    std::string shp_records;
    std::string shx_records;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        std::string content;
        if (shapes[i].rings.empty()) {
            put_le32(content, 0);  // null shape
        } else {
            Bounds b;
            std::uint32_t points = 0;
            for (const auto& ring : shapes[i].rings) {
                for (const auto& [x, y] : ring) {
                    b.extend(x, y);
                    all.extend(x, y);
                }
                points += static_cast<std::uint32_t>(ring.size());
            }
            put_le32(content, 5);
            b.write(content);
            put_le32(content, static_cast<std::uint32_t>(shapes[i].rings.size()));
            put_le32(content, points);
            std::uint32_t start = 0;
            for (const auto& ring : shapes[i].rings) {
                put_le32(content, start);
                start += static_cast<std::uint32_t>(ring.size());
            }
            for (const auto& ring : shapes[i].rings) {
                for (const auto& [x, y] : ring) {
                    put_double(content, x);
                    put_double(content, y);
                }
            }
        }
        const auto offset_words = static_cast<std::int32_t>((100 + shp_records.size()) / 2);
        const auto content_words = static_cast<std::int32_t>(content.size() / 2);
        put_be32(shp_records, static_cast<std::int32_t>(i + 1));
        put_be32(shp_records, content_words);
        shp_records += content;
        put_be32(shx_records, offset_words);
        put_be32(shx_records, content_words);
    }
    ShapefileBytes out;
    out.shp = file_header(static_cast<std::int32_t>((100 + shp_records.size()) / 2), all) + shp_records;
    out.shx = file_header(static_cast<std::int32_t>((100 + shx_records.size()) / 2), all) + shx_records;

    // dBASE III: 32-byte header, 32 bytes per field, 0x0D, then fixed-width records, 0x1A.
    std::uint16_t record_size = 1;  // the deletion flag
    for (const auto& f : fields) {
        record_size = static_cast<std::uint16_t>(record_size + f.width);
    }
    std::string& dbf = out.dbf;
    dbf += '\x03';
    dbf += static_cast<char>(124);  // 2024-01-01: fixed, so the bytes never change
    dbf += '\x01';
    dbf += '\x01';
    put_le32(dbf, static_cast<std::uint32_t>(records.size()));
    put_le16(dbf, static_cast<std::uint16_t>(32 + 32 * fields.size() + 1));
    put_le16(dbf, record_size);
    dbf.append(17, '\0');
    dbf += static_cast<char>(ldid);
    dbf.append(2, '\0');
    for (const auto& f : fields) {
        std::string name = f.name.substr(0, 10);
        name.resize(11, '\0');
        dbf += name;
        dbf += f.type;
        dbf.append(4, '\0');
        dbf += static_cast<char>(f.width);
        dbf += static_cast<char>(f.decimals);
        dbf.append(14, '\0');
    }
    dbf += '\x0D';
    for (const auto& rec : records) {
        if (rec.size() != fields.size()) {
            throw std::invalid_argument("make_shapefile: one cell per field");
        }
        dbf += ' ';
        for (std::size_t k = 0; k < fields.size(); ++k) {
            std::string cell = rec[k].substr(0, fields[k].width);
            const std::size_t pad = fields[k].width - cell.size();
            if (fields[k].type == 'N') {
                dbf.append(pad, ' ');
                dbf += cell;
            } else {
                dbf += cell;
                dbf.append(pad, ' ');
            }
        }
    }
    dbf += '\x1A';
    return out;
}

}  // namespace choro::test
