#include "relos/audit/chain.h"

namespace relos::audit {

Result<Event> Append(storage::Transaction& txn, const EventDraft& d) {
  ASSIGN_OR_RETURN(std::optional<Event> last, txn.LastEvent());
  Event e;
  e.seq = last ? last->seq + 1 : 1;
  e.at = d.at;
  e.actor_party = d.actor_party;
  e.actor_role = d.actor_role;
  e.actor_name = d.actor_name;
  e.kind = d.kind;
  e.subject = d.subject;
  e.payload = d.payload;
  e.prev_hash = last ? last->hash : kGenesisHash;
  e.hash = ComputeEventHash(e);
  RETURN_IF_ERROR(txn.AppendEvent(e));
  return e;
}

Result<VerifyReport> VerifyChain(storage::Transaction& txn) {
  VerifyReport report;
  std::string prev_hash = kGenesisHash;
  int64_t expected_seq = 1;
  constexpr int64_t kBatch = 4096;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<Event> batch, txn.ListEvents(expected_seq - 1, kBatch));
    for (const Event& e : batch) {
      if (e.seq != expected_seq) {
        report.broken_seq = expected_seq;
        report.problem = "event " + std::to_string(expected_seq) + " is missing (next stored event is " +
                         std::to_string(e.seq) + ")";
        return report;
      }
      if (e.prev_hash != prev_hash) {
        report.broken_seq = e.seq;
        report.problem = "event " + std::to_string(e.seq) + " does not link to event " + std::to_string(e.seq - 1) +
                         " (prev_hash differs)";
        return report;
      }
      if (ComputeEventHash(e) != e.hash) {
        report.broken_seq = e.seq;
        report.problem = "event " + std::to_string(e.seq) + " (" + e.kind + " " + e.subject +
                         ") was altered: its hash does not match its contents";
        return report;
      }
      prev_hash = e.hash;
      ++expected_seq;
      ++report.events_checked;
    }
    if (static_cast<int64_t>(batch.size()) < kBatch) break;
  }
  return report;
}

}  // namespace relos::audit
