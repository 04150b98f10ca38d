// Text rendering of orders and registry objects for people at a terminal;
// --json output goes through the codec instead.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "relos/codec/codec.h"
#include "relos/orders/order.h"

namespace relos::cli {

void PrintJson(std::ostream& out, const codec::Json& j);
void PrintOrder(std::ostream& out, const orders::Order& o);
void PrintOrderTable(std::ostream& out, const std::vector<orders::Order>& orders);

// A plain column-aligned table; the first row is the header.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

}  // namespace relos::cli
