#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "detail/gdal.hpp"
#include "detail/gdal_module.hpp"
#include "detail/text.hpp"
#include <cpl_string.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/interrupt.hpp"
#include "choro/geo/layer.hpp"

namespace choro::geo {

namespace {

using CoordinateTransformationPtr =
    std::unique_ptr<OGRCoordinateTransformation, void (*)(OGRCoordinateTransformation*)>;

void destroy_transformation(OGRCoordinateTransformation* ct) noexcept {
    OGRCoordinateTransformation::DestroyCT(ct);
}

bool is_local_file_path(const std::string& path) {
    // GDAL also opens virtual paths (/vsicurl/...) and connection strings ("PG:..."); only plain
    // paths can be checked for existence up front.
    return path.rfind("/vsi", 0) != 0 && path.find(':') == std::string::npos;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) { return detail::ascii_lower(c); });
    return s;
}

/// Opens any OGR source; a `.zip` goes through /vsizip/, and when the archive is not itself a
/// source (a zip holding one GeoJSON, say) the single data file inside is opened.
GDALDatasetUniquePtr open_source(const std::string& path, detail::GdalErrorCollector& errors) {
    std::error_code ec;
    if (is_local_file_path(path) && !std::filesystem::exists(path, ec)) {
        throw InputError(path, "no such file");
    }
    // A folder is a source (a folder of shapefiles); a FIFO or a device is not, and would block or
    // never end.
    if (is_local_file_path(path) && !std::filesystem::is_directory(path, ec)) {
        check_input_file(path, static_cast<std::size_t>(-1), "boundary source");
    }
    const std::string gpath = detail::gdal_path(path);
    if (auto ds = detail::open_vector(gpath)) {
        return ds;
    }
    if (gpath.rfind("/vsizip/", 0) == 0) {
        static const std::vector<std::string> source_extensions = {
            ".shp", ".geojson", ".json", ".topojson", ".gpkg", ".fgb", ".gml", ".kml", ".tab", ".mif", ".sqlite"};
        std::vector<std::string> inside;
        std::vector<std::string> candidates;
        char** list = VSIReadDirRecursive(gpath.c_str());
        for (char** p = list; p != nullptr && *p != nullptr; ++p) {
            const std::string name = *p;
            inside.push_back(name);
            const auto ext = lower(std::filesystem::path(name).extension().string());
            if (std::find(source_extensions.begin(), source_extensions.end(), ext) != source_extensions.end()) {
                candidates.push_back(name);
            }
        }
        CSLDestroy(list);
        if (candidates.size() == 1) {
            if (auto ds = detail::open_vector(gpath + "/" + candidates.front())) {
                return ds;
            }
        }
        if (candidates.size() > 1) {
            throw InputError(path,
                             "the zip holds several data sources (" + detail::quoted_list(candidates) +
                                 "); open one of them as /vsizip/" + path + "/<name>");
        }
        if (inside.empty()) {
            throw InputError(
                path, "cannot open as a zip archive" + (errors.last().empty() ? std::string() : ": " + errors.last()));
        }
        throw InputError(
            path, "the zip holds no vector data source GDAL can open (it holds " + detail::quoted_list(inside) + ")");
    }
    const std::string why = errors.last();
    throw InputError(path, "cannot open as a vector data source" + (why.empty() ? std::string() : ": " + why));
}

std::vector<std::string> layer_names(GDALDataset& ds) {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(std::max(ds.GetLayerCount(), 0)));
    for (int i = 0; i < ds.GetLayerCount(); ++i) {
        names.emplace_back(ds.GetLayer(i)->GetName());
    }
    return names;
}

std::vector<std::string> field_names(OGRFeatureDefn& defn) {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(std::max(defn.GetFieldCount(), 0)));
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        names.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    }
    return names;
}

/// Field index by exact name, then case-insensitively; -1 when absent.
int find_field(OGRFeatureDefn& defn, const std::string& name) {
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        if (name == defn.GetFieldDefn(i)->GetNameRef()) {
            return i;
        }
    }
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        if (detail::iequals(name, defn.GetFieldDefn(i)->GetNameRef())) {
            return i;
        }
    }
    return -1;
}

std::string describe_crs(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr) {
        return std::string(auth) + ":" + code;
    }
    const char* name = srs.GetName();
    return name != nullptr ? std::string(name) : std::string("unknown CRS");
}

/// Converts one OGR ring, closing it and fixing its winding (exterior CCW, holes CW).
/// Returns false for a degenerate ring (fewer than three distinct points).
bool convert_ring(const OGRLinearRing& in, bool exterior, Ring<LonLat>& out, std::size_t& rewound) {
    const int n = in.getNumPoints();
    out.clear();
    out.reserve(static_cast<std::size_t>(n) + 1);
    for (int i = 0; i < n; ++i) {
        out.push_back(LonLat{in.getX(i), in.getY(i)});
    }
    if (!out.empty() && out.front() != out.back()) {
        out.push_back(out.front());
    }
    if (out.size() < 4) {
        return false;
    }
    const double area = signed_area(out);
    if ((exterior && area < 0.0) || (!exterior && area > 0.0)) {
        std::reverse(out.begin(), out.end());
        ++rewound;
    }
    return true;
}

void append_polygon(const OGRPolygon& poly, MultiPolygon<LonLat>& out, std::size_t& rewound) {
    const OGRLinearRing* ext = poly.getExteriorRing();
    if (ext == nullptr) {
        return;
    }
    Polygon<LonLat> result;
    Ring<LonLat> ring;
    if (!convert_ring(*ext, true, ring, rewound)) {
        return;
    }
    result.push_back(std::move(ring));
    for (int i = 0; i < poly.getNumInteriorRings(); ++i) {
        Ring<LonLat> hole;
        if (convert_ring(*poly.getInteriorRing(i), false, hole, rewound)) {
            result.push_back(std::move(hole));
        }
    }
    out.push_back(std::move(result));
}

/// Appends every polygon in `geom` (recursing into collections). Returns false when `geom`
/// holds no surface at all (points, lines).
bool append_surfaces(const OGRGeometry& geom, MultiPolygon<LonLat>& out, std::size_t& rewound) {
    switch (wkbFlatten(geom.getGeometryType())) {
        case wkbPolygon:
        case wkbTriangle:
            append_polygon(*geom.toPolygon(), out, rewound);
            return true;
        case wkbMultiPolygon:
        case wkbGeometryCollection: {
            bool any = false;
            for (const auto* part : *geom.toGeometryCollection()) {
                any = append_surfaces(*part, out, rewound) || any;
            }
            return any;
        }
        case wkbCurvePolygon:
        case wkbMultiSurface:
        case wkbPolyhedralSurface:
        case wkbTIN: {
            const std::unique_ptr<OGRGeometry> linear(geom.getLinearGeometry());
            return linear != nullptr && append_surfaces(*linear, out, rewound);
        }
        default:
            return false;
    }
}

/// True when a lon/lat polygon has an edge spanning more than 180° of longitude: a ring crossing
/// the antimeridian (Fiji, Russia, Antarctica). It is valid on the globe, and projection cuts it at
/// the seam (geo/src/clip.cpp); GEOS would "repair" it in the plane into wrong pieces.
bool crosses_antimeridian(const OGRGeometry& geom) {
    const auto ring_crosses = [](const OGRLinearRing* ring) {
        for (int i = 1; ring != nullptr && i < ring->getNumPoints(); ++i) {
            if (std::abs(ring->getX(i) - ring->getX(i - 1)) > 180.0) {
                return true;
            }
        }
        return false;
    };
    const auto polygon_crosses = [&](const OGRPolygon* poly) {
        if (ring_crosses(poly->getExteriorRing())) {
            return true;
        }
        for (int i = 0; i < poly->getNumInteriorRings(); ++i) {
            if (ring_crosses(poly->getInteriorRing(i))) {
                return true;
            }
        }
        return false;
    };
    const auto type = wkbFlatten(geom.getGeometryType());
    if (type == wkbPolygon) {
        return polygon_crosses(geom.toPolygon());
    }
    if (type == wkbMultiPolygon) {
        for (const OGRPolygon* poly : *geom.toMultiPolygon()) {
            if (polygon_crosses(poly)) {
                return true;
            }
        }
    }
    return false;
}

bool has_surface(const OGRGeometry& geom) {
    switch (wkbFlatten(geom.getGeometryType())) {
        case wkbPolygon:
        case wkbTriangle:
        case wkbMultiPolygon:
        case wkbCurvePolygon:
        case wkbMultiSurface:
        case wkbPolyhedralSurface:
        case wkbTIN:
            return true;
        case wkbGeometryCollection:
            for (const auto* part : *geom.toGeometryCollection()) {
                if (has_surface(*part)) {
                    return true;
                }
            }
            return false;
        default:
            return false;
    }
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& path, const std::string& wanted) {
    if (!wanted.empty()) {
        if (OGRLayer* layer = ds.GetLayerByName(wanted.c_str())) {
            return layer;
        }
        throw InputError(path, "no layer '" + wanted + "'; the layers are: " + detail::quoted_list(layer_names(ds)));
    }
    if (ds.GetLayerCount() == 0) {
        throw InputError(path, "holds no layers");
    }
    if (ds.GetLayerCount() > 1) {
        throw InputError(
            path, "holds several layers (" + detail::quoted_list(layer_names(ds)) + "); choose one with --layer");
    }
    return ds.GetLayer(0);
}

/// For a shapefile whose .dbf is missing, a hint saying so ("" otherwise): without it the layer
/// has no fields at all, and "the fields are: (none)" alone does not tell the user why.
std::string missing_dbf_hint(const std::string& path) {
    if (!is_local_file_path(path) || lower(std::filesystem::path(path).extension().string()) != ".shp") {
        return {};
    }
    std::filesystem::path dbf(path);
    std::error_code ec;
    for (const char* ext : {".dbf", ".DBF"}) {
        dbf.replace_extension(ext);
        if (std::filesystem::exists(dbf, ec)) {
            return {};
        }
    }
    dbf.replace_extension(".dbf");
    return " (there is no " + dbf.filename().string() +
           " beside the .shp: a shapefile keeps its attributes there; copy it next to the .shp)";
}

/// Text of a field as UTF-8. GDAL recodes DBF text when a .cpg or the language-driver byte names
/// the encoding; when neither does it passes the bytes through (checked with GDAL 3.6), and old
/// US Census and state DBFs are Latin-1 ("Do\xF1a Ana"). Bytes that are not UTF-8 are therefore
/// read as Latin-1 (every byte is a valid Latin-1 character) and counted, so the caller can warn.
std::string utf8_field(OGRFeature& feature, int index, std::size_t& recoded) {
    const char* raw = feature.GetFieldAsString(index);
    if (raw == nullptr) {
        return {};
    }
    if (CPLIsUTF8(raw, -1)) {
        return raw;
    }
    ++recoded;
    char* utf8 = CPLRecode(raw, CPL_ENC_ISO8859_1, CPL_ENC_UTF8);
    std::string out = utf8 != nullptr ? utf8 : raw;
    CPLFree(utf8);
    return out;
}

/// The CRS in a shapefile's .prj when GDAL gave the layer none: GDAL drops a .prj it cannot parse
/// silently, which must not read as "no .prj". Throws InputError when the .prj exists but cannot
/// be parsed; returns false when there is no .prj.
bool read_prj(const std::string& path, OGRSpatialReference& out) {
    if (!is_local_file_path(path)) {
        return false;
    }
    std::filesystem::path prj(path);
    std::error_code ec;
    bool found = false;
    for (const char* ext : {".prj", ".PRJ"}) {
        prj.replace_extension(ext);
        if (std::filesystem::is_regular_file(prj, ec)) {
            found = true;
            break;
        }
    }
    if (!found) {
        return false;
    }
    std::string text;
    try {
        text = read_input_file(prj.string(), std::size_t{1} << 20, ".prj file");
    } catch (const InputError& e) {
        throw InputError(prj.string(), e.reason());
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    OGRSpatialReference srs;
    if (text.empty() || text.find('\0') != std::string::npos ||
        (srs.importFromESRI(std::vector<char*>{text.data(), nullptr}.data()) != OGRERR_NONE &&
         srs.SetFromUserInput(text.c_str()) != OGRERR_NONE)) {
        std::string shown = visible(text.substr(0, 60));
        throw InputError(prj.string(),
                         "cannot parse the .prj (it begins '" + shown + (text.size() > 60 ? "…" : "") +
                             "'); expected the WKT of a CRS. Fix or remove it, or give --srs");
    }
    out = srs;
    out.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return true;
}

/// Refuses a source CRS that does not place points on a map: geocentric (x, y, z from the Earth's
/// centre) or vertical only (heights).
void check_horizontal_source(const std::string& path, const OGRSpatialReference& srs, const std::string& name) {
    if (srs.IsGeocentric()) {
        throw InputError(path,
                         "the CRS " + name +
                             " is geocentric (x, y, z from the Earth's centre), not a CRS of places on a map; "
                             "expected a geographic or projected CRS (give --srs if the file is wrong)");
    }
    if (srs.IsVertical() && !srs.IsGeographic() && !srs.IsProjected()) {
        throw InputError(path,
                         "the CRS " + name + " is vertical (heights only); expected a geographic or projected CRS");
    }
}

/// True when a layer without a CRS looks like longitude/latitude: its extent lies within
/// [-180, 180] × [-90, 90]. An empty layer counts as lon/lat (nothing to misplace).
bool looks_like_lonlat(OGRLayer& layer, OGREnvelope& env) {
    if (layer.GetExtent(&env, TRUE) != OGRERR_NONE) {
        return true;
    }
    return env.MinX >= -180.0 && env.MaxX <= 180.0 && env.MinY >= -90.0 && env.MaxY <= 90.0;
}

/// The first point that is not a usable longitude/latitude (NaN, infinite, or beyond ±360° / ±90°),
/// nullptr when all are. Broken files and CRSs that do not fit the data produce such points; they
/// must stop here rather than reach PROJ or Cairo.
const LonLat* bad_point(const MultiPolygon<LonLat>& geometry) {
    for (const auto& poly : geometry) {
        for (const auto& ring : poly) {
            for (const auto& p : ring) {
                if (!std::isfinite(p.x) || !std::isfinite(p.y) || std::abs(p.x) > 360.0 || std::abs(p.y) > 90.000001) {
                    return &p;
                }
            }
        }
    }
    return nullptr;
}

/// The key and name fields of a layer, -1 when there is none.
struct FieldIndices {
    int key = -1;
    int name = -1;
};

/// Finds the fields the options name (an error when absent), else the usual ones: "id" for the
/// key, a name field when there is one.
FieldIndices find_fields(OGRFeatureDefn& defn,
                         const std::string& path,
                         const std::string& layer_name,
                         const LayerOptions& options) {
    FieldIndices fields;
    if (!options.key_field.empty()) {
        fields.key = find_field(defn, options.key_field);
        if (fields.key < 0) {
            throw InputError(path,
                             "no field '" + options.key_field + "' in layer '" + layer_name +
                                 "' (the key field); the fields are: " + detail::quoted_list(field_names(defn)) +
                                 missing_dbf_hint(path));
        }
    } else {
        fields.key = find_field(defn, "id");  // TopoJSON (us-atlas) keeps FIPS in "id"
    }
    if (!options.name_field.empty()) {
        fields.name = find_field(defn, options.name_field);
        if (fields.name < 0) {
            throw InputError(path,
                             "no field '" + options.name_field + "' in layer '" + layer_name +
                                 "' (the name field); the fields are: " + detail::quoted_list(field_names(defn)) +
                                 missing_dbf_hint(path));
        }
    } else {
        for (const char* guess : {"name", "NAME", "NAMELSAD"}) {
            fields.name = find_field(defn, guess);
            if (fields.name >= 0) {
                break;
            }
        }
    }
    return fields;
}

/// The CRS of the source: its own, else a shapefile's .prj, else the one given (--srs), else
/// lon/lat for a shapefile whose coordinates look like it (with a warning in `stats`). Throws
/// InputError when --srs cannot be understood or no CRS can be found.
OGRSpatialReference source_crs(
    GDALDataset& ds, OGRLayer& ogr_layer, const std::string& path, const LayerOptions& options, ReadStats& stats) {
    OGRSpatialReference given;
    if (!options.srs.empty()) {
        if (given.SetFromUserInput(options.srs.c_str()) != OGRERR_NONE) {
            throw InputError(
                path,
                "cannot understand the CRS '" + options.srs + "' (expected e.g. EPSG:4326, a PROJ string or WKT)");
        }
        given.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        check_horizontal_source("--srs", given, options.srs);
    }
    // Only shapefiles get their CRS guessed: their .prj is the part people lose. GDAL gives GeoJSON
    // its CRS84 itself, and other sources without a CRS stay an error.
    const bool is_shapefile = EQUAL(ds.GetDriverName(), "ESRI Shapefile");
    if (const OGRSpatialReference* own = ogr_layer.GetSpatialRef()) {
        return *own;
    }
    OGRSpatialReference source;
    if (is_shapefile && options.srs.empty() && read_prj(path, source)) {
        return source;
    }
    if (!options.srs.empty()) {
        return given;
    }
    if (OGREnvelope env; is_shapefile && looks_like_lonlat(ogr_layer, env)) {
        // A shapefile without its .prj is common; lon/lat coordinates are nearly always WGS84/NAD83,
        // which differ by about a metre: assume EPSG:4326, and say so.
        source.importFromEPSG(4326);
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        stats.warnings.push_back(path +
                                 ": no CRS (no .prj); the coordinates look like longitude/latitude, so "
                                 "EPSG:4326 is assumed (give --srs to say otherwise)");
        return source;
    } else {
        throw InputError(path,
                         "no CRS in " + path + "; give one with --srs (e.g. --srs EPSG:4326)" +
                             (is_shapefile ? " (there is no .prj, and the coordinates, x " + std::to_string(env.MinX) +
                                                 " to " + std::to_string(env.MaxX) + ", y " + std::to_string(env.MinY) +
                                                 " to " + std::to_string(env.MaxY) +
                                                 ", are not longitude/latitude, so the CRS cannot be guessed)"
                                           : std::string()));
    }
}

/// The transformation from `source` (named `crs_name`) to lon/lat in lon/lat order; null when the
/// source already is that.
CoordinateTransformationPtr to_lonlat(const OGRSpatialReference& source,
                                      const std::string& path,
                                      const std::string& crs_name,
                                      const detail::GdalErrorCollector& errors) {
    OGRSpatialReference lonlat;
    lonlat.importFromEPSG(4326);
    lonlat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    CoordinateTransformationPtr transform(nullptr, &destroy_transformation);
    const bool same =
        source.IsSame(&lonlat) && source.GetDataAxisToSRSAxisMapping() == lonlat.GetDataAxisToSRSAxisMapping();
    if (!same) {
        transform.reset(OGRCreateCoordinateTransformation(&source, &lonlat));
        if (!transform) {
            throw InputError(path, "cannot transform from " + crs_name + " to lon/lat (EPSG:4326): " + errors.last());
        }
    }
    return transform;
}

/// Turns the OGR features of one layer into ours: key, name and attributes as UTF-8, geometry
/// repaired when invalid, in lon/lat, checked. Counts what it did in `stats`; keeps references to
/// everything it is given (`path` the source, `crs_name` the CRS the data came in, for messages).
class FeatureReader {
public:
    FeatureReader(const std::string& path,
                  const std::string& crs_name,
                  OGRFeatureDefn& defn,
                  FieldIndices fields,
                  OGRCoordinateTransformation* transform,
                  const detail::GdalErrorCollector& errors,
                  ReadStats& stats)
        : m_path(path),
          m_crs(crs_name),
          m_defn(defn),
          m_fields(fields),
          m_transform(transform),
          m_errors(errors),
          m_stats(stats),
          m_can_repair(OGRGeometryFactory::haveGEOS()) {}

    /// One feature; nullopt when it is skipped (it holds no surface: points, lines).
    std::optional<Feature> read(OGRFeature& feature) {
        Feature out;
        out.fid = static_cast<long long>(feature.GetFID());
        if (m_fields.key >= 0) {
            out.key = feature.IsFieldSetAndNotNull(m_fields.key) ? utf8_field(feature, m_fields.key, m_recoded) : "";
        } else {
            out.key = std::to_string(out.fid);
        }
        if (m_fields.name >= 0 && feature.IsFieldSetAndNotNull(m_fields.name)) {
            out.name = utf8_field(feature, m_fields.name, m_recoded);
        }
        const std::string label = out.key.empty() ? "fid " + std::to_string(out.fid) : out.key;
        if (!read_geometry(feature, label, out.geometry)) {
            return std::nullopt;
        }
        out.attributes.reserve(static_cast<std::size_t>(m_defn.GetFieldCount()));
        for (int i = 0; i < m_defn.GetFieldCount(); ++i) {
            out.attributes.emplace_back(m_defn.GetFieldDefn(i)->GetNameRef(),
                                        feature.IsFieldSetAndNotNull(i) ? utf8_field(feature, i, m_recoded) : "");
        }
        return out;
    }

    /// Text values read as Latin-1 so far (see utf8_field).
    [[nodiscard]] std::size_t recoded() const noexcept { return m_recoded; }

private:
    /// The feature's geometry into `out`; false when it holds no surface (skipped). A feature
    /// without geometry is kept with an empty one.
    bool read_geometry(OGRFeature& feature, const std::string& label, MultiPolygon<LonLat>& out) {
        std::unique_ptr<OGRGeometry> geom(feature.StealGeometry());
        if (geom == nullptr || geom->IsEmpty()) {
            ++m_stats.empty_geometries;
            m_stats.warnings.push_back(m_path + ": feature " + label + ": no geometry (kept without a shape)");
            return true;
        }
        if (!has_surface(*geom)) {
            ++m_stats.non_polygon_skipped;
            m_stats.warnings.push_back(m_path + ": feature " + label + ": " +
                                       OGRGeometryTypeToName(geom->getGeometryType()) + " is not a polygon (skipped)");
            return false;
        }
        if (m_can_repair && !(m_transform == nullptr && crosses_antimeridian(*geom)) && !geom->IsValid()) {
            repair(geom, label);
        }
        if (m_transform != nullptr && geom->transform(m_transform) != OGRERR_NONE) {
            throw InputError(m_path,
                             "cannot transform to lon/lat from " + m_crs +
                                 (m_errors.last().empty() ? std::string() : ": " + m_errors.last()),
                             0,
                             {},
                             label);
        }
        append_surfaces(*geom, out, m_stats.rewound);
        if (const LonLat* p = bad_point(out)) {
            throw InputError(m_path,
                             "coordinate (" + std::to_string(p->x) + ", " + std::to_string(p->y) +
                                 ") in lon/lat is not a place on Earth (from " + m_crs +
                                 "); expected longitudes within ±360° and latitudes within ±90°. Is the CRS "
                                 "right, or the geometry broken?",
                             0,
                             {},
                             label);
        }
        return true;
    }

    /// An invalid polygon made valid (GEOS), or left as it is when that fails; either is a warning.
    void repair(std::unique_ptr<OGRGeometry>& geom, const std::string& label) {
        std::unique_ptr<OGRGeometry> fixed(geom->MakeValid());
        if (fixed != nullptr && has_surface(*fixed)) {
            geom = std::move(fixed);
            ++m_stats.repaired;
            m_stats.warnings.push_back(m_path + ": feature " + label + ": invalid polygon repaired");
        } else {
            m_stats.warnings.push_back(m_path + ": feature " + label + ": invalid polygon could not be repaired");
        }
    }

    const std::string& m_path;
    const std::string& m_crs;
    OGRFeatureDefn& m_defn;
    FieldIndices m_fields;
    OGRCoordinateTransformation* m_transform;  // null: the source is lon/lat already
    const detail::GdalErrorCollector& m_errors;
    ReadStats& m_stats;
    bool m_can_repair;
    std::size_t m_recoded = 0;
};

/// Nothing to draw is an error, not a blank map.
void check_something_to_draw(const Layer& layer) {
    const bool any_surface =
        std::any_of(layer.features.begin(), layer.features.end(), [](const Feature& f) { return !f.geometry.empty(); });
    if (any_surface) {
        return;
    }
    const ReadStats& stats = layer.stats;
    std::string what = "nothing to draw: layer '" + layer.name + "' ";
    if (stats.features_read == 0) {
        what += "has no features";
    } else if (stats.non_polygon_skipped > 0) {
        what += "has " + std::to_string(stats.features_read) + " features but no polygons (" +
                std::to_string(stats.non_polygon_skipped) +
                " points or lines); choro draws areas: give a layer of polygons";
    } else {
        what += "has " + std::to_string(stats.features_read) + " features, all without geometry";
    }
    throw InputError(layer.source, what);
}

/// The warning for `recoded` text values read as Latin-1, naming the file that holds them.
std::string recoded_warning(const std::string& path, std::size_t recoded) {
    std::string text_file = path;
    if (is_local_file_path(path) && lower(std::filesystem::path(path).extension().string()) == ".shp") {
        text_file = std::filesystem::path(path).replace_extension(".dbf").string();
    }
    return text_file + ": " + std::to_string(recoded) +
           " text values are not UTF-8 and no .cpg file names the encoding; read them as "
           "Latin-1 (ISO-8859-1). Add a .cpg file holding the encoding to silence this";
}

}  // namespace

Layer detail::read_layer_gdal(const std::string& path, const LayerOptions& options) {
    detail::GdalErrorCollector errors;
    GDALDatasetUniquePtr ds = open_source(path, errors);
    OGRLayer* ogr_layer = pick_layer(*ds, path, options.layer);
    OGRFeatureDefn& defn = *ogr_layer->GetLayerDefn();

    Layer layer;
    layer.source = path;
    layer.name = ogr_layer->GetName();
    if (ogr_layer->GetFeatureCount(TRUE) == 0) {  // before the field checks: an empty layer has no fields
        throw InputError(path, "nothing to draw: layer '" + layer.name + "' has no features");
    }
    const FieldIndices fields = find_fields(defn, path, layer.name, options);

    // CRS: the source's own, else the one given; always end in lon/lat order.
    const OGRSpatialReference source = source_crs(*ds, *ogr_layer, path, options, layer.stats);
    layer.source_crs = describe_crs(source);
    check_horizontal_source(path, source, layer.source_crs);
    const CoordinateTransformationPtr transform = to_lonlat(source, path, layer.source_crs, errors);

    FeatureReader reader(path, layer.source_crs, defn, fields, transform.get(), errors, layer.stats);
    ogr_layer->ResetReading();
    for (auto& feature : *ogr_layer) {
        if ((layer.stats.features_read & 255) == 0) {
            check_interrupted();
        }
        ++layer.stats.features_read;
        if (std::optional<Feature> out = reader.read(*feature)) {
            layer.features.push_back(std::move(*out));
        }
    }
    check_something_to_draw(layer);
    if (reader.recoded() > 0) {
        layer.stats.warnings.push_back(recoded_warning(path, reader.recoded()));
    }
    return layer;
}

std::vector<std::string> detail::list_layers_gdal(const std::string& path) {
    detail::GdalErrorCollector errors;
    GDALDatasetUniquePtr ds = open_source(path, errors);
    return layer_names(*ds);
}

}  // namespace choro::geo
