#include "vi/claims.hpp"

#include <muParser.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>

#include "vi/closed_form.hpp"

namespace vivae {

namespace {

struct QuantityInfo {
  Quantity q;
  const char* name;
  const char* help;
};
constexpr QuantityInfo kQuantities[] = {
    {Quantity::log_z, "log_z", "log Z(beta); holds when equal to the enumerated value"},
    {Quantity::z, "Z", "Z(beta) = sum_w exp(-beta*Phi(w)); holds when equal to the enumerated value"},
    {Quantity::mean_phi, "mean_phi", "E_p[Phi] = -d log Z/d beta, eq. (4); holds when equal to the enumerated value"},
    {Quantity::q2_kl, "Q2.kl", "min over Q2 (iid) of KL(q||p); holds when equal to the numeric minimum"},
    {Quantity::q1_kl, "Q1.kl", "min over Q1 (independent) of KL(q||p); holds when equal to the numeric minimum"},
    {Quantity::q2_free_energy, "Q2.F", "max over Q2 of F(q) = log Z - KL, eq. (3); holds when equal to it"},
    {Quantity::q1_free_energy, "Q1.F", "max over Q1 of F(q); holds when equal to it"},
    {Quantity::q2_theta, "Q2.theta", "theta = q(w_i = 1) of a Q2 minimiser; holds when that q attains the minimum"},
    {Quantity::q1_theta, "Q1.theta",
     "theta_i of a Q1 minimiser, a formula in i = 1..N; holds when that q attains the minimum (any minimiser)"},
};

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kMaxLine = 4096;
constexpr size_t kMaxClaims = 10000;

double natural_log(double x) { return std::log(x); }
double log1p_fn(double x) { return std::log1p(x); }
double expm1_fn(double x) { return std::expm1(x); }
double sigmoid_fn(double x) { return sigmoid(x); }

}  // namespace

// A compiled expression. Its variables live beside the parser, which holds their addresses.
class Formula {
 public:
  Formula(const std::string& expr, bool with_i) {
    parser_.DefineVar("N", &n_);
    parser_.DefineVar("beta", &beta_);
    if (with_i) parser_.DefineVar("i", &i_);
    parser_.DefineConst("inf", kInf);
    parser_.DefineConst("pi", M_PI);
    parser_.DefineConst("e", M_E);
    // Natural, whatever the muParser build (older ones meant log10 by `log`).
    parser_.DefineFun("log", natural_log);
    parser_.DefineFun("log1p", log1p_fn);
    parser_.DefineFun("expm1", expm1_fn);
    parser_.DefineFun("sigmoid", sigmoid_fn);
    parser_.SetExpr(expr);
    parser_.Eval();  // muParser compiles on the first evaluation: reports every syntax error now
  }
  int results() const { return parser_.GetNumResults(); }
  double at(double n, double beta, double i) const {
    n_ = n, beta_ = beta, i_ = i;
    try {
      return parser_.Eval();
    } catch (const mu::Parser::exception_type&) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  }

 private:
  mutable mu::Parser parser_;
  mutable double n_ = 1, beta_ = 1, i_ = 1;
};

std::string quantity_name(Quantity q) {
  for (const auto& info : kQuantities)
    if (info.q == q) return info.name;
  return "?";
}

std::string quantity_help() {
  std::string s;
  for (const auto& info : kQuantities) s += std::string("  ") + info.name + std::string(10 - std::string(info.name).size(), ' ') + info.help + "\n";
  return s;
}

double Claim::evaluate(int n, double beta, int i) const { return value->at(n, beta, i); }

bool Claim::applies(int n, double beta) const {
  if (!when) return true;
  const double c = when->at(n, beta, 1);
  return c != 0 && !std::isnan(c);
}

namespace {

std::string trim(const std::string& s, size_t* first = nullptr) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) {
    if (first) *first = s.size();
    return "";
  }
  const size_t b = s.find_last_not_of(" \t\r");
  if (first) *first = a;
  return s.substr(a, b - a + 1);
}

// "FILE:LINE:COLUMN: what" for a file, "--claim K, column C: what" for a claim given alone (line 0).
[[noreturn]] void fail(const std::string& source, int line, size_t column, const std::string& what) {
  if (line == 0) throw ClaimError(source + ", column " + std::to_string(column) + ": " + what);
  throw ClaimError(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
}

// muParser's complaint, in the claim's own terms. `allowed` lists the variables of this formula.
std::string parser_problem(const mu::Parser::exception_type& e, const std::string& allowed) {
  const std::string token = e.GetToken();
  switch (e.GetCode()) {
    case mu::ecUNASSIGNABLE_TOKEN: {
      std::string hint = "the names are " + allowed + ", the constants inf, pi, e, and functions such as log, exp, sqrt, sigmoid";
      if (token == "n") hint = "did you mean N? " + hint;
      if (token == "b" || token == "Beta" || token == "BETA") hint = "did you mean beta? " + hint;
      if (token == "I") hint = "did you mean i? " + hint;
      for (const auto& info : kQuantities)
        if (token == info.name) return "'" + token + "' is a quantity; a formula cannot use it (" + hint + ")";
      return "unknown name '" + token + "' (" + hint + ")";
    }
    case mu::ecUNEXPECTED_EOF:
      return "the formula ends too early";
    case mu::ecMISPLACED_COLON:
    case mu::ecMISSING_ELSE_CLAUSE:
      return "'?' needs both branches: CONDITION ? VALUE : OTHERWISE";
    case mu::ecUNEXPECTED_PARENS:
    case mu::ecMISSING_PARENS:
      return "unbalanced parentheses";
    default: {
      std::string msg = e.GetMsg();
      const size_t at = msg.find(" at position");
      if (at != std::string::npos) msg = msg.substr(0, at);
      if (!msg.empty() && msg.back() == '.') msg.pop_back();
      if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
      return msg;
    }
  }
}

std::shared_ptr<const Formula> compile(const std::string& expr, bool with_i, const std::string& allowed,
                                       const std::string& source, int line, size_t column) {
  for (size_t k = 0; k < expr.size(); ++k)
    if (static_cast<unsigned char>(expr[k]) >= 0x80)
      fail(source, line, column + k,
           "a character that is not ASCII (write beta, not the Greek letter, and '-' for a minus sign)");
  // muParser's '=' (and +=, …) would assign to a variable: `if beta = inf` would hold everywhere.
  for (size_t k = 0; k < expr.size(); ++k) {
    if (expr[k] != '=') continue;
    const char before = k > 0 ? expr[k - 1] : ' ';
    if (before == '=' || before == '<' || before == '>' || before == '!') continue;
    if (k + 1 < expr.size() && expr[k + 1] == '=') {
      ++k;
      continue;
    }
    fail(source, line, column + k, "'=' inside a formula assigns; write '==' to compare");
  }
  try {
    auto f = std::make_shared<const Formula>(expr, with_i);
    if (f->results() != 1) fail(source, line, column, "a formula gives one value (a comma outside a function's arguments)");
    return f;
  } catch (const mu::Parser::exception_type& e) {
    // muParser places an error at the end one past the last character: clamp it there.
    const size_t pos = e.GetPos() >= 0 ? std::min(static_cast<size_t>(e.GetPos()), expr.size()) : 0;
    fail(source, line, column + pos, parser_problem(e, allowed));
  }
}

// A number with a decimal point or an exponent: 0.5596, .5, 1e-3 (not 2, not 1/2).
bool has_decimal_literal(const std::string& expr) {
  static const std::regex decimal(R"((^|[^A-Za-z0-9_.])(\d+\.\d*|\.\d+|\d+[eE][+-]?\d+))");
  return std::regex_search(expr, decimal);
}

}  // namespace

Claim parse_claim(const std::string& line_text, const std::string& source, int line) {
  if (line_text.size() > kMaxLine) fail(source, line, 1, "longer than " + std::to_string(kMaxLine) + " characters");
  Claim c;
  c.source = source;
  c.line = line;
  const std::string body = line_text.substr(0, line_text.find('#'));
  size_t lead = 0;
  c.text = trim(body, &lead);
  static const std::regex head(R"(^([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=([^=]|$))");
  std::smatch m;
  if (!std::regex_search(c.text, m, head))
    fail(source, line, lead + 1, "expected QUANTITY = EXPRESSION [if CONDITION], e.g. Q2.kl = log(2^N - 1)");
  const std::string name = m[1].str();
  bool known = false;
  for (const auto& info : kQuantities)
    if (name == info.name) c.quantity = info.q, known = true;
  if (!known) {
    std::string names, suggestion;
    for (const auto& info : kQuantities) {
      names += std::string(names.empty() ? "" : ", ") + info.name;
      std::string a = name, b = info.name;
      for (auto& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      for (auto& ch : b) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (a == b) suggestion = std::string("did you mean ") + info.name + "? ";
    }
    fail(source, line, lead + 1, "unknown quantity '" + name + "' (" + suggestion + "the quantities are " + names + ")");
  }
  // The right side, and the condition after the word `if` (no function or variable has that name).
  const size_t rhs_at = static_cast<size_t>(m.position(2));
  std::string rhs = c.text.substr(rhs_at);
  static const std::regex if_word(R"((^|[^A-Za-z0-9_])if([^A-Za-z0-9_]|$))");
  std::smatch im;
  size_t cond_at = std::string::npos;
  if (std::regex_search(rhs, im, if_word)) {
    cond_at = static_cast<size_t>(im.position(0)) + im[1].length() + 2;
    c.condition = trim(rhs.substr(cond_at));
    rhs = rhs.substr(0, static_cast<size_t>(im.position(0)) + im[1].length());
  }
  size_t expr_lead = 0;
  c.expression = trim(rhs, &expr_lead);
  const size_t expr_column = lead + rhs_at + expr_lead + 1;
  if (c.expression.empty()) fail(source, line, expr_column, "nothing right of '='");
  const bool with_i = c.quantity == Quantity::q1_theta;
  c.value = compile(c.expression, with_i, with_i ? "N, beta, i" : "N, beta (i only in Q1.theta)", source, line,
                    expr_column);
  c.hand_number = has_decimal_literal(c.expression);
  if (cond_at != std::string::npos) {
    size_t cond_lead = 0;
    const std::string raw = rhs_at + cond_at <= c.text.size() ? c.text.substr(rhs_at + cond_at) : "";
    trim(raw, &cond_lead);
    const size_t cond_column = lead + rhs_at + cond_at + cond_lead + 1;
    if (c.condition.empty()) fail(source, line, cond_column, "nothing after 'if'");
    c.when = compile(c.condition, false, "N, beta", source, line, cond_column);
  }
  return c;
}

std::vector<Claim> parse_claims(const std::string& text, const std::string& source) {
  std::vector<Claim> claims;
  size_t from = 0;
  int line = 0;
  // A UTF-8 byte-order mark (some editors write one) is not part of the first claim.
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) from = 3;
  while (from < text.size()) {
    ++line;
    const size_t end = text.find('\n', from);
    const std::string row = text.substr(from, end == std::string::npos ? std::string::npos : end - from);
    from = end == std::string::npos ? text.size() : end + 1;
    if (row.find('\0') != std::string::npos) fail(source, line, row.find('\0') + 1, "a NUL byte: this is not a text file");
    if (trim(row.substr(0, row.find('#'))).empty()) continue;
    if (claims.size() == kMaxClaims) fail(source, line, 1, "more than " + std::to_string(kMaxClaims) + " claims");
    claims.push_back(parse_claim(row, source, line));
  }
  if (claims.empty()) throw ClaimError(source + ": no claims (a line reads QUANTITY = EXPRESSION, e.g. Q2.kl = log(2^N - 1))");
  return claims;
}

std::string claims_text(const std::vector<std::string>& claims) {
  std::string s;
  for (const auto& c : claims) s += c + "\n";
  return s;
}

}  // namespace vivae
