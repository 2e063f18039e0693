// choro: choropleth maps and web-map tiles. This file only wires commands and maps errors to
// exit codes; the commands are in cmd_*.cpp, the work in the libraries.

#include <csignal>
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "exit_codes.hpp"
#include <CLI/CLI.hpp>

#include "choro/geo/error.hpp"

namespace {

int report(const char* kind, const std::exception& e, int code) {
    std::fprintf(stderr, "choro: %s%s\n", kind, e.what());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace choro::cli;
    CLI::App app{"choro: choropleth maps and web-map tiles from any boundaries and any values.", "choro"};
    app.set_version_flag("--version", std::string("choro ") + CHORO_VERSION);
    app.require_subcommand(1);
    app.footer(exit_codes_help);
    add_render_command(app);
    add_join_command(app);
#ifdef CHORO_HAVE_AGREEMENTS
    add_agreements_command(app);
#endif
#ifdef CHORO_HAVE_TILES
    add_tiles_command(app);
    add_merge_command(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    } catch (const choro::UsageError& e) {
        return report("", e, exit_usage);
    } catch (const choro::LimitError& e) {
        return report("limit: ", e, exit_limit);
    } catch (const choro::InputError& e) {
        return report("", e, exit_input);
    } catch (const choro::JobError& e) {
        return report("", e, exit_job);
    } catch (const choro::ProjectionError& e) {
        return report("", e, exit_projection);
    } catch (const choro::RenderError& e) {
        return report("", e, exit_output);
    } catch (const choro::Error& e) {
        return report("", e, exit_internal);
    } catch (const std::bad_alloc& e) {
        return report("out of memory: ", e, exit_limit);
    } catch (const std::exception& e) {
        return report("internal error (please report): ", e, exit_internal);
    }
    return exit_ok;
}
