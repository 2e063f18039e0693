// choro: choropleth maps and web-map tiles. This file only wires commands and maps errors to
// exit codes; the commands are in cmd_*.cpp, the work in the libraries.

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>

#include "commands.hpp"
#include "exit_codes.hpp"
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include "choro/geo/error.hpp"
#include "choro/geo/interrupt.hpp"

namespace {

/// SIGINT/SIGTERM: the first asks the work to stop at its next safe point (the stack unwinds,
/// temporaries are removed, exit 8); a second one removes the registered temporaries and exits
/// at once. Only async-signal-safe calls here.
extern "C" void on_interrupt(int sig) {
    if (choro::geo::interrupted()) {
        choro::geo::remove_registered_temporaries();
        constexpr char msg[] = "choro: interrupted again; temporary files removed, stopping now\n";
        (void)!::write(2, msg, sizeof msg - 1);
        ::_exit(choro::cli::exit_interrupted);
    }
    choro::geo::request_interrupt(sig);
}

void install_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR and its loop checks the flag
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int report(const char* kind, const std::exception& e, int code) {
    std::fprintf(stderr, "choro: %s%s\n", kind, e.what());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace choro::cli;
    install_signal_handlers();
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
    add_batch_command(app);
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
    } catch (const choro::cli::PartialFailure& e) {
        return report("", e, exit_partial);
    } catch (const choro::UsageError& e) {
        return report("", e, exit_usage);
    } catch (const choro::geo::Interrupted& e) {
        return report("", e, exit_interrupted);
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
    // Output sent to standard output is only safe once flushed: a full disk or /dev/full must fail.
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
        const int err = errno;
        std::fprintf(
            stderr, "choro: standard output: cannot write: %s\n", err != 0 ? std::strerror(err) : "write error");
        return exit_output;
    }
    if (choro::geo::interrupted()) {  // the signal came after the last safe point: the work is done
        return exit_ok;
    }
    return exit_ok;
}
