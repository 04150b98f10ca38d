// `relos events` and `relos verify`.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/audit/verify.h"
#include "relos/codec/codec.h"

namespace relos::cli {
namespace {

struct EventsOptions {
  int64_t after = 0;
  int64_t limit = 100;
  std::string subject;
};

}  // namespace

void RegisterAuditCommands(CLI::App& app, CliContext& ctx) {
  auto* e = ctx.Own<EventsOptions>();
  CLI::App* events = app.add_subcommand("events", "the audit chain, oldest first");
  events->add_option("--after", e->after, "only events after this sequence number");
  events->add_option("--limit", e->limit, "at most this many")->capture_default_str();
  events->add_option("--subject", e->subject, "only events about this subject, e.g. order/RELOS-IN-RU-2026-000001");
  events->callback([&ctx, e] {
    ctx.action = [&ctx, e]() -> Status {
      if (e->limit <= 0 || e->limit > 100000) return InvalidArgument("--limit: must be 1..100000", "limit");
      if (e->after < 0) return InvalidArgument("--after: must not be negative", "after");
      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      ASSIGN_OR_RETURN(auto txn, store->BeginRead());
      std::vector<audit::Event> shown;
      int64_t after = e->after;
      while (static_cast<int64_t>(shown.size()) < e->limit) {
        ASSIGN_OR_RETURN(auto batch, txn->ListEvents(after, 1000));
        for (auto& ev : batch) {
          after = ev.seq;
          if (!e->subject.empty() && ev.subject != e->subject) continue;
          if (static_cast<int64_t>(shown.size()) < e->limit) shown.push_back(std::move(ev));
        }
        if (batch.size() < 1000) break;
      }
      if (ctx.json) {
        codec::Json j = codec::Json::array();
        for (const auto& ev : shown) j.push_back(codec::ToJson(ev));
        PrintJson(*ctx.out, j);
        return OkStatus();
      }
      std::vector<std::vector<std::string>> rows = {{"seq", "at", "actor", "kind", "subject", "hash"}};
      for (const auto& ev : shown) {
        rows.push_back({std::to_string(ev.seq), ev.at.ToIso8601(),
                        ev.actor_party + ":" + ev.actor_role + ":" + ev.actor_name, ev.kind, ev.subject,
                        ev.hash.substr(0, 16)});
      }
      PrintTable(*ctx.out, rows);
      return OkStatus();
    };
  });

  app.add_subcommand("verify", "recompute the audit chain and check every stored object against it")->callback([&ctx] {
    ctx.action = [&ctx]() -> Status {
      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      ASSIGN_OR_RETURN(auto txn, store->BeginRead());
      ASSIGN_OR_RETURN(audit::VerifyReport r, audit::VerifyStore(*txn));
      if (ctx.json) {
        codec::Json j = {{"ok", r.ok()}, {"events_checked", r.events_checked}, {"objects_checked", r.objects_checked}};
        if (r.broken_seq) j["broken_seq"] = *r.broken_seq;
        if (!r.ok()) j["problem"] = r.problem;
        PrintJson(*ctx.out, j);
      }
      if (!r.ok()) {
        return DataLoss("audit chain broken" + (r.broken_seq ? " at event " + std::to_string(*r.broken_seq) : "") +
                            ": " + r.problem,
                        "audit.chain");
      }
      if (!ctx.json) {
        *ctx.out << fmt::format("verified: {} events chained, {} objects match the chain\n", r.events_checked,
                                r.objects_checked);
      }
      return OkStatus();
    };
  });
}

}  // namespace relos::cli
