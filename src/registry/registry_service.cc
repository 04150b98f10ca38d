#include "relos/registry/registry_service.h"

#include <map>
#include <set>

#include "relos/audit/chain.h"
#include "relos/codec/codec.h"
#include "relos/registry/validation.h"

namespace relos::registry {
namespace {

Result<RegistryData> LoadIn(storage::Transaction& txn) {
  RegistryData d;
  ASSIGN_OR_RETURN(d.parties, txn.ListParties());
  ASSIGN_OR_RETURN(d.agreements, txn.ListAgreements());
  ASSIGN_OR_RETURN(d.catalogue, txn.ListCatalogItems());
  ASSIGN_OR_RETURN(d.fuel_compatibility, txn.ListFuelCompatibility());
  ASSIGN_OR_RETURN(d.facilities, txn.ListFacilities());
  ASSIGN_OR_RETURN(d.units, txn.ListUnits());
  return d;
}

// Replaces objects of `incoming` in `current` by code, appending new ones;
// returns the objects that are new or different.
template <typename T>
std::vector<const T*> Merge(std::vector<T>& current, const std::vector<T>& incoming, ImportSummary* summary) {
  std::vector<const T*> changed;
  for (const T& obj : incoming) {
    bool found = false;
    for (T& cur : current) {
      if (cur.code != obj.code) continue;
      found = true;
      if (cur == obj) {
        ++summary->unchanged;
      } else {
        cur = obj;
        ++summary->changed;
        changed.push_back(&obj);
      }
    }
    if (!found) {
      current.push_back(obj);
      ++summary->added;
      changed.push_back(&obj);
    }
  }
  return changed;
}

template <typename T>
Status CheckUniqueIn(const std::vector<T>& objects, const std::string& kind) {
  std::set<std::string> seen;
  for (const T& o : objects) {
    if (!seen.insert(o.code).second) {
      return InvalidArgument(kind + "[" + o.code + "].code: appears twice in the import", "code");
    }
  }
  return OkStatus();
}

// An import naming one code twice is ambiguous: refuse it rather than let
// the last one win silently.
Status CheckNoDuplicates(const RegistryData& d) {
  RETURN_IF_ERROR(CheckUniqueIn(d.parties, "parties"));
  RETURN_IF_ERROR(CheckUniqueIn(d.agreements, "agreements"));
  RETURN_IF_ERROR(CheckUniqueIn(d.catalogue, "catalogue"));
  RETURN_IF_ERROR(CheckUniqueIn(d.facilities, "facilities"));
  return CheckUniqueIn(d.units, "units");
}

}  // namespace

Result<RegistryData> RegistryService::Load() {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  return LoadIn(*txn);
}

Result<ImportSummary> RegistryService::Import(const orders::Actor& actor, const RegistryData& data) {
  const bool system = actor.party == kSystemParty;
  if (!system && actor.role != orders::Role::kAdmin) {
    return PermissionDenied("only an admin may change the registry; " + actor.ToString() + " is a " +
                                std::string(orders::Name(actor.role)),
                            "registry.role");
  }
  if (!system) {
    for (const auto& f : data.facilities) {
      if (f.owner != actor.party) {
        return PermissionDenied("facility " + f.code + " belongs to " + f.owner + "; an admin of " + actor.party +
                                    " may not change it",
                                "registry.owner");
      }
    }
    for (const auto& u : data.units) {
      if (u.owner != actor.party) {
        return PermissionDenied("unit " + u.code + " belongs to " + u.owner + "; an admin of " + actor.party +
                                    " may not change it",
                                "registry.owner");
      }
    }
  }

  RETURN_IF_ERROR(CheckNoDuplicates(data));

  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(RegistryData merged, LoadIn(*txn));
  if (!system) {
    // A facility or unit that already exists under another owner cannot be
    // taken over by importing it under one's own.
    for (const auto& f : data.facilities) {
      for (const auto& cur : merged.facilities) {
        if (cur.code == f.code && cur.owner != actor.party) {
          return PermissionDenied("facility " + f.code + " belongs to " + cur.owner, "registry.owner");
        }
      }
    }
    for (const auto& u : data.units) {
      for (const auto& cur : merged.units) {
        if (cur.code == u.code && cur.owner != actor.party) {
          return PermissionDenied("unit " + u.code + " belongs to " + cur.owner, "registry.owner");
        }
      }
    }
  }
  ImportSummary summary;
  auto parties = Merge(merged.parties, data.parties, &summary);
  auto agreements = Merge(merged.agreements, data.agreements, &summary);
  auto items = Merge(merged.catalogue, data.catalogue, &summary);
  auto facilities = Merge(merged.facilities, data.facilities, &summary);
  auto units = Merge(merged.units, data.units, &summary);
  bool fuel_table_changed = !data.fuel_compatibility.empty() && data.fuel_compatibility != merged.fuel_compatibility;
  if (fuel_table_changed) merged.fuel_compatibility = data.fuel_compatibility;
  RETURN_IF_ERROR(ValidateRegistry(merged));

  const Timestamp now = clock_.Now();
  auto record = [&](const std::string& kind, const std::string& subject, const codec::Json& j) -> Status {
    return audit::Append(*txn, {now, actor.party, std::string(orders::Name(actor.role)), actor.name, kind, subject,
                                codec::Canonical(j)})
        .status();
  };
  for (const Party* p : parties) {
    RETURN_IF_ERROR(txn->PutParty(*p));
    RETURN_IF_ERROR(record("registry.party", "party/" + p->code, codec::ToJson(*p)));
  }
  for (const CatalogItem* i : items) {
    RETURN_IF_ERROR(txn->PutCatalogItem(*i));
    RETURN_IF_ERROR(record("registry.item", "item/" + i->code, codec::ToJson(*i)));
  }
  if (fuel_table_changed) {
    RETURN_IF_ERROR(txn->ReplaceFuelCompatibility(merged.fuel_compatibility));
    codec::Json table = codec::Json::array();
    for (const auto& row : merged.fuel_compatibility) table.push_back(codec::ToJson(row));
    RETURN_IF_ERROR(record("registry.fuel_compatibility", "fuel-compatibility", table));
    ++summary.changed;
  }
  for (const Agreement* a : agreements) {
    RETURN_IF_ERROR(txn->PutAgreement(*a));
    RETURN_IF_ERROR(record("registry.agreement", "agreement/" + a->code, codec::ToJson(*a)));
  }
  for (const Facility* f : facilities) {
    RETURN_IF_ERROR(txn->PutFacility(*f));
    RETURN_IF_ERROR(record("registry.facility", "facility/" + f->code, codec::ToJson(*f)));
  }
  for (const Unit* u : units) {
    RETURN_IF_ERROR(txn->PutUnit(*u));
    RETURN_IF_ERROR(record("registry.unit", "unit/" + u->code, codec::ToJson(*u)));
  }
  RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace relos::registry
