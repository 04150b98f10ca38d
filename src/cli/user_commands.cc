// `relos user add|disable|passwd|token|list`: the operator's side of users
// and API tokens. Passwords are read from standard input (never from the
// command line, where `ps` would show them); a token is printed once.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/auth/auth_service.h"
#include "relos/registry/registry_service.h"

namespace relos::cli {
namespace {

struct UserOptions {
  std::string name, party, label;
  std::vector<std::string> roles;
  bool password_stdin = false;
  int64_t ttl_days = 0;
};

// Who the change is recorded as: --as if given, else the operator at the
// console (the SYSTEM party, as for `relos init`).
Result<orders::Actor> Operator(CliContext& ctx) {
  if (!ctx.as.empty()) return ctx.Actor();
  return orders::Actor{registry::kSystemParty, orders::Role::kAdmin, "relos user"};
}

Result<std::string> ReadPassword(CliContext& ctx, bool from_stdin) {
  if (!from_stdin) return InvalidArgument("--password-stdin: the password is read from standard input", "password");
  std::string line;
  std::istream& in = ctx.in != nullptr ? *ctx.in : std::cin;
  if (!std::getline(in, line)) return InvalidArgument("--password-stdin: nothing on standard input", "password");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::unique_ptr<auth::AuthService>> OpenAuth(CliContext& ctx) {
  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
  return std::make_unique<auth::AuthService>(*store, *clock);
}

std::string RolesText(const std::set<orders::Role>& roles) {
  std::string out;
  for (orders::Role r : roles) out += (out.empty() ? "" : ",") + std::string(orders::Name(r));
  return out;
}

}  // namespace

void RegisterUserCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("user", "users of the server: add, disable, set a password, issue API tokens");
  group->require_subcommand(1);

  auto* add = ctx.Own<UserOptions>();
  CLI::App* add_cmd = group->add_subcommand("add", "add a user of one party with one or more roles");
  add_cmd->add_option("name", add->name, "login name: letters, digits, '.', '_', '-'")->required();
  add_cmd->add_option("--party", add->party, "the party the user belongs to, e.g. IN")->required();
  add_cmd->add_option("--role", add->roles,
                      "requester, approver, logistics-officer, receiver, finance, auditor or admin (repeat for more)")
      ->required();
  add_cmd->add_flag("--password-stdin", add->password_stdin, "read the password (10+ characters) from standard input");
  add_cmd->callback([&ctx, add] {
    ctx.action = [&ctx, add]() -> Status {
      std::set<orders::Role> roles;
      for (const auto& r : add->roles) {
        auto role = orders::ParseRole(r);
        if (!role.ok()) return role.status().WithContext("--role");
        roles.insert(*role);
      }
      ASSIGN_OR_RETURN(std::string password, ReadPassword(ctx, add->password_stdin));
      ASSIGN_OR_RETURN(orders::Actor by, Operator(ctx));
      ASSIGN_OR_RETURN(auto service, OpenAuth(ctx));
      ASSIGN_OR_RETURN(auth::User u, service->AddUser(by, add->name, add->party, roles, password));
      *ctx.out << fmt::format("user {} added to {} as {}\n", u.name, u.party, RolesText(u.roles));
      return OkStatus();
    };
  });

  auto* dis = ctx.Own<UserOptions>();
  CLI::App* dis_cmd = group->add_subcommand("disable", "disable a user and revoke all their tokens");
  dis_cmd->add_option("name", dis->name, "login name")->required();
  dis_cmd->callback([&ctx, dis] {
    ctx.action = [&ctx, dis]() -> Status {
      ASSIGN_OR_RETURN(orders::Actor by, Operator(ctx));
      ASSIGN_OR_RETURN(auto service, OpenAuth(ctx));
      ASSIGN_OR_RETURN(auth::User u, service->Disable(by, dis->name));
      *ctx.out << fmt::format("user {} disabled; their sessions and tokens are revoked\n", u.name);
      return OkStatus();
    };
  });

  auto* pw = ctx.Own<UserOptions>();
  CLI::App* pw_cmd = group->add_subcommand("passwd", "set a user's password (revokes their sessions)");
  pw_cmd->add_option("name", pw->name, "login name")->required();
  pw_cmd->add_flag("--password-stdin", pw->password_stdin, "read the new password from standard input");
  pw_cmd->callback([&ctx, pw] {
    ctx.action = [&ctx, pw]() -> Status {
      ASSIGN_OR_RETURN(std::string password, ReadPassword(ctx, pw->password_stdin));
      ASSIGN_OR_RETURN(orders::Actor by, Operator(ctx));
      ASSIGN_OR_RETURN(auto service, OpenAuth(ctx));
      ASSIGN_OR_RETURN(auth::User u, service->SetPassword(by, pw->name, password));
      *ctx.out << fmt::format("password of {} changed; their sessions are revoked\n", u.name);
      return OkStatus();
    };
  });

  auto* tok = ctx.Own<UserOptions>();
  CLI::App* tok_cmd = group->add_subcommand("token", "issue an API token for a machine client (printed once)");
  tok_cmd->add_option("name", tok->name, "login name of the user the token acts as")->required();
  tok_cmd->add_option("--label", tok->label, "what the token is for");
  tok_cmd->add_option("--ttl-days", tok->ttl_days, "days until it expires (default 365)");
  tok_cmd->callback([&ctx, tok] {
    ctx.action = [&ctx, tok]() -> Status {
      if (tok->ttl_days < 0 || tok->ttl_days > 3650) return InvalidArgument("--ttl-days: must be 1..3650", "ttl_days");
      ASSIGN_OR_RETURN(orders::Actor by, Operator(ctx));
      ASSIGN_OR_RETURN(auto service, OpenAuth(ctx));
      ASSIGN_OR_RETURN(auth::IssuedToken t, service->IssueApiToken(by, tok->name, tok->label, tok->ttl_days * 86400));
      if (ctx.json) {
        PrintJson(*ctx.out, {{"token", t.token}, {"user", tok->name}, {"expires_at", t.record.expires_at.ToIso8601()}});
      } else {
        *ctx.out << t.token << "\n";
      }
      return OkStatus();
    };
  });

  group->add_subcommand("list", "every user, their party and roles")->callback([&ctx] {
    ctx.action = [&ctx]() -> Status {
      ASSIGN_OR_RETURN(auto service, OpenAuth(ctx));
      ASSIGN_OR_RETURN(auto users, service->ListUsers());
      std::vector<std::vector<std::string>> rows = {{"name", "party", "roles", "state"}};
      for (const auto& u : users) rows.push_back({u.name, u.party, RolesText(u.roles), u.disabled ? "disabled" : "active"});
      PrintTable(*ctx.out, rows);
      return OkStatus();
    };
  });
}

}  // namespace relos::cli
