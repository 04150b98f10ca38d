#include "relos/capacity/tables.h"

namespace relos::capacity {

bool Overlaps(const Reservation& r, Timestamp from, Timestamp to) {
  if (r.start == r.end) return from <= r.start && r.start < to;
  return r.start < to && from < r.end;
}

}  // namespace relos::capacity
