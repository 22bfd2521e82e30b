#include <bot/cli/run_outcome.hpp>

#include <bot/config/load.hpp>
#include <bot/core/duration.hpp>
#include <bot/report/quorum.hpp>
#include <bot/report/vantage_report.hpp>

#include <fmt/format.h>

#include <filesystem>

namespace pw {

namespace {

constexpr std::size_t k_max_report_bytes = 64 * 1024 * 1024;
constexpr Millis k_default_max_report_age{Millis(3600LL * 1000)};

}  // namespace

bool vantage_options_valid(const Options& options, AppContext& context) {
  if (options.reports.empty() && (options.quorum != 0 || !options.max_report_age.empty())) {
    context.err << fmt::format("probewatch: {} is for combining vantage reports; add --reports DIR\n",
                               options.quorum != 0 ? "--quorum" : "--max-report-age");
    return false;
  }
  if (!options.reports.empty() && !options.wait.empty()) {
    context.err << "probewatch: --wait probes, but --reports combines reports instead of probing; pass --wait to "
                   "each vantage's check\n";
    return false;
  }
  return true;
}

bool read_vantage_results(const Config& config, const std::vector<Check>& checks, const Options& options,
                          AppContext& context, RunReport& report) {
  Millis max_age = k_default_max_report_age;
  if (!options.max_report_age.empty()) {
    auto parsed = parse_duration(options.max_report_age);
    if (!parsed) {
      context.err << fmt::format("probewatch: --max-report-age: {}\n", parsed.error().message);
      return false;
    }
    max_age = *parsed;
  }
  auto files = context.files.read_folder(options.reports);
  if (!files) {
    context.err << fmt::format("probewatch: --reports: {}\n", files.error().message);
    return false;
  }
  std::vector<VantageReport> reports;
  for (const auto& [name, text] : *files) {
    if (!name.ends_with(".json")) {
      continue;
    }
    const std::string path = (std::filesystem::path(options.reports) / name).generic_string();
    if (text.size() > k_max_report_bytes) {
      context.err << fmt::format("probewatch: {}: larger than 64 MiB; it is not a vantage report\n", path);
      return false;
    }
    auto parsed = parse_vantage_report(text, path);
    if (!parsed) {
      context.err << fmt::format("probewatch: {}\n", config.secrets.apply(parsed.error().message));
      return false;
    }
    reports.push_back(std::move(*parsed));
  }
  if (reports.empty() && config.vantages.empty()) {
    context.err << fmt::format(
        "probewatch: --reports {}: no *.json vantage reports in it, and the config declares no vantages; "
        "download the artifacts with merge-multiple: true so the reports land in the folder itself\n",
        options.reports);
    return false;
  }
  QuorumInput input{checks, config.vantages, reports};
  input.default_quorum = options.quorum != 0 ? options.quorum : 1;
  input.now = context.clock.now();
  input.max_age = max_age;
  auto combined = combine_vantages(input);
  if (!combined) {
    context.err << fmt::format("probewatch: {}\n", combined.error().message);
    return false;
  }
  report.results = std::move(combined->results);
  report.vantage_notes = std::move(combined->unknown);
  for (const std::string& note : report.vantage_notes) {
    context.err << fmt::format("probewatch: {}\n", note);
  }
  return true;
}

}  // namespace pw
