// read → join → classify → highlights: the data stages every drawing command shares.

#include "choro/pipeline/prepare.hpp"

#include <algorithm>

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/table.hpp"

namespace choro::pipeline {

geo::Layer read_boundaries(const styles::BoundarySource& source,
                           const std::string& data_dir,
                           const std::string& cache_dir) {
    geo::LayerOptions options;
    options.layer = source.layer;
    options.key_field = source.key;
    options.name_field = source.name;
    options.srs = source.srs;
    options.cache_dir = cache_dir;
    return geo::read_layer(styles::expand_path(source.source, data_dir), options);
}

JoinedData join_values(const styles::Job& job) {
    JoinedData data;
    data.layer = read_boundaries(job.boundaries, job.data_dir, job.cache_dir);
    if (job.overlay && !job.overlay->source.empty()) {
        data.overlay = read_boundaries(*job.overlay, job.data_dir, job.cache_dir);
    }
    if (job.values.source.empty()) {
        data.join.values.assign(data.layer.features.size(), std::nullopt);
        data.join.report.features = data.layer.features.size();
        return data;
    }
    const geo::Table table = read_value_table(job);
    const geo::JoinOptions join_options = value_join_options(job, job.values.value);
    data.join = geo::join(data.layer, table, join_options);
    return data;
}

geo::Table read_value_table(const styles::Job& job) {
    geo::TableOptions table_options;
    table_options.sheet = job.values.sheet;
    table_options.header_contains = job.values.key;
    table_options.delimiter = job.values.delimiter == "tab"  ? '\t'
                              : job.values.delimiter.empty() ? '\0'
                                                             : job.values.delimiter.front();
    return geo::read_table(styles::expand_path(job.values.source, job.data_dir), table_options);
}

geo::JoinOptions value_join_options(const styles::Job& job, const std::string& column) {
    geo::JoinOptions join_options;
    join_options.key_column = job.values.key;
    join_options.value_column = column;
    join_options.count = job.values.count;
    join_options.duplicates = job.values.duplicates;
    join_options.min_match = job.values.min_match.value_or(job.values.count ? 0.0 : geo::weak_join_share);
    join_options.number_format.decimal = job.values.decimal == "," ? ',' : '.';
    join_options.number_format.thousands = job.values.thousands;
    join_options.signs = job.values.number_format == "strip"   ? geo::SignMode::strip
                         : job.values.number_format == "plain" ? geo::SignMode::keep
                                                               : geo::SignMode::automatic;
    join_options.key_field = job.boundaries.key;
    return join_options;
}

PreparedData prepare(const styles::Job& job) {
    JoinedData joined = join_values(job);
    PreparedData data;
    data.layer = std::move(joined.layer);
    data.overlay = std::move(joined.overlay);
    data.join = std::move(joined.join);

    data.breaks = styles::classify(data.join.values, job.classify);
    data.colors = styles::class_colors(data.breaks, job.style);
    data.classes.reserve(data.join.values.size());
    for (const auto& v : data.join.values) {
        data.classes.push_back(data.breaks.class_of(v));
    }
    data.highlights =
        styles::read_highlights(job.highlight, data.layer, data.overlay ? &*data.overlay : nullptr, &data.join.values);
    const auto any = [](const std::vector<bool>& marks) {
        return std::find(marks.begin(), marks.end(), true) != marks.end();
    };
    data.numbers = styles::number_style(data.join.values, job.legend.format, job.values.value);
    data.legend = styles::legend_items(data.breaks,
                                       data.colors,
                                       job.style,
                                       job.highlight,
                                       data.numbers,
                                       any(data.highlights.features),
                                       any(data.highlights.overlay),
                                       any(data.highlights.partial),
                                       any(data.highlights.overlay_enacted));
    return data;
}

}  // namespace choro::pipeline
