// The stored rows of the capacity model and of exercises, and the storage
// seams for them (reached through storage::Transaction::Capacity() and
// ::Exercises(), in the caller's transaction).
//
// A reservation is what one approved order line holds at a facility: a
// number of places of a resource over a time span (a berth, beds, stands,
// bays), or a fuel issue (an amount of a grade taken out of stock at one
// instant). The capacity service (capacity.h) derives and checks them; the
// storage layer only keeps them.
//
// An exercise is stored as a few key columns and a body that the exercise
// module encodes (the storage layer never reads the body), as the ledger's
// records are.
//
// Thread-safety: values; the tables interfaces share the rules of the
// transaction they come from (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relos/core/status.h"
#include "relos/core/time.h"

namespace relos::capacity {

struct Reservation {
  std::string order;     // order number
  int64_t line_no = 0;   // the order line; 0 for the order as a whole (an aircraft stand)
  std::string facility;  // facility code
  // "berth:<id>", "aircraft-stands", "maintenance-bays", "beds",
  // "accommodation" or "fuel:<grade>" (see capacity.h).
  std::string resource;
  std::string unit;    // the requesting unit (ship, aircraft, contingent)
  int64_t amount = 0;  // places; for fuel, thousandths of the stock's unit
  Timestamp start;
  Timestamp end;  // exclusive; a fuel issue has end == start
  friend bool operator==(const Reservation&, const Reservation&) = default;
};

struct ReservationFilter {
  std::optional<std::string> facility;
  std::optional<std::string> resource;
  std::optional<std::string> order;
  // Reservations with start < to and end >= from: every one that overlaps
  // [from, to) and those that merely touch it at `from` (callers compute
  // exact overlaps).
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
};

// A planned delivery into a facility's fuel stock (a tanker, a pipeline
// batch), entered by the supplying party; the fuel projection adds it at `at`.
struct FuelReplenishment {
  std::string id;  // unique; chosen by the caller
  std::string facility;
  std::string grade;
  int64_t amount = 0;  // thousandths of the facility's stock unit for the grade
  Timestamp at;
  std::string note;
  friend bool operator==(const FuelReplenishment&, const FuelReplenishment&) = default;
};

class CapacityTables {
 public:
  virtual ~CapacityTables() = default;
  // AlreadyExists (reason "storage.duplicate_reservation") if (order,
  // line_no, resource) is taken. Read transactions: FailedPrecondition.
  virtual Status InsertReservation(const Reservation& r) = 0;
  // Matching reservations ordered by (facility, resource, start, order, line_no).
  virtual Result<std::vector<Reservation>> ListReservations(const ReservationFilter& f) = 0;
  // Removes the reservation (order, line_no, resource); NotFound if absent.
  virtual Status DeleteReservation(const std::string& order, int64_t line_no, const std::string& resource) = 0;

  // AlreadyExists (reason "storage.duplicate_replenishment") if r.id is taken.
  virtual Status InsertReplenishment(const FuelReplenishment& r) = 0;
  // The facility's planned replenishments of `grade` (every grade if empty),
  // ordered by (at, id).
  virtual Result<std::vector<FuelReplenishment>> ListReplenishments(const std::string& facility,
                                                                    const std::string& grade) = 0;
};

struct ExerciseRow {
  std::string code;    // "EX-INDRA-2026"
  std::string status;  // "planned", "active", "completed", "cancelled"
  Timestamp start;
  Timestamp end;
  int64_t version = 0;  // the exercise service increments it on every change
  std::string body;     // opaque to storage
  friend bool operator==(const ExerciseRow&, const ExerciseRow&) = default;
};

class ExerciseTables {
 public:
  virtual ~ExerciseTables() = default;
  // Inserts or replaces the exercise with r.code. Read transactions:
  // FailedPrecondition.
  virtual Status PutExercise(const ExerciseRow& r) = 0;
  // The exercise with this code, or nullopt.
  virtual Result<std::optional<ExerciseRow>> FindExercise(const std::string& code) = 0;
  // Every exercise, ordered by code.
  virtual Result<std::vector<ExerciseRow>> ListExercises() = 0;
};

// True if r holds anything during [from, to): a span that overlaps it, or
// a fuel issue at an instant inside it.
bool Overlaps(const Reservation& r, Timestamp from, Timestamp to);

}  // namespace relos::capacity
