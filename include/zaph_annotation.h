// The grammar of zaph's annotation strings and the texts of their mistakes, for C++ and without
// any compiler's types: the one definition both compiler plugins use (pass/Annotations.cpp,
// pass/Frontend.cpp, gcc/attributes.cc), so both say the same thing about the same mistake.
// Not part of the API: users write the macros of zaph.h.
#ifndef ZAPH_ANNOTATION_H
#define ZAPH_ANNOTATION_H

extern "C" {
#include "zaph_abi.h"
#include "zaph_profile.h"
}

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace zaph {

inline bool isZaphAnnotation(const std::string &A) {
  return A.compare(0, sizeof ZAPH_ANNOTATION_PREFIX - 1, ZAPH_ANNOTATION_PREFIX) == 0;
}

// The annotation A was probably meant to be ("zaph-op", "ZAPH_OP", "Zaph_Request"): lower
// case, '-' for '_'. Empty when A does not look like a zaph annotation.
inline std::string misspeltZaphAnnotation(const std::string &A) {
  std::string Folded;
  for (char C : A)
    Folded += C == '-' ? '_' : char(std::tolower((unsigned char)C));
  if (Folded == "zaph")
    return ZAPH_ANNOTATION_OP;
  return isZaphAnnotation(Folded) ? Folded : "";
}

// What one annotation says of its function.
struct AnnotationValues {
  unsigned Kind = ZAPH_KIND_OP;
  unsigned Tier = 0;      // declared tier, 0 for none
  unsigned TimedLog2 = 0; // timed: one entry in 2^(TimedLog2 - 1) is timed; 0: not timed
  uint64_t TargetNs = 0;  // declared target duration, 0 for none
};

// The longest target, in whole seconds: 2^64 - 1 ns is 18446744073.7 s.
#define ZAPH_TARGET_MAX_TEXT "18446744073s"

// A target duration: digits, then ns, us, ms or s; returns 0 for anything else, 0 ns, or more
// nanoseconds than 64 bits hold (ZAPH_TARGET_MAX_TEXT).
inline uint64_t parseDuration(const std::string &Text) {
  static const struct {
    const char *Unit;
    uint64_t Scale;
  } Units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
  size_t Digits = 0;
  while (Digits < Text.size() && Text[Digits] >= '0' && Text[Digits] <= '9')
    Digits++;
  if (Digits == 0 || Digits > 12)
    return 0;
  for (const auto &U : Units)
    if (Text.compare(Digits, std::string::npos, U.Unit) == 0) {
      uint64_t N = std::strtoull(Text.substr(0, Digits).c_str(), nullptr, 10);
      return N <= UINT64_MAX / U.Scale ? N * U.Scale : 0;
    }
  return 0;
}

// A sampling rate N, "1" to "65536", a power of two: 1 + log2 N (AnnotationValues::TimedLog2),
// or 0 when Text is anything else.
inline unsigned parseSampling(const std::string &Text) {
  for (unsigned Log2 = 0; Log2 <= ZAPH_TIMED_MAX_LOG2; Log2++)
    if (Text == std::to_string(1ull << Log2))
      return Log2 + 1;
  return 0;
}

// The compile-time environment variable that times every op of the translation units it is set
// for at one rate, ZAPH_TIMED=N (an op's own timed=N wins); both plugins read it.
#define ZAPH_TIMED_ENV "ZAPH_TIMED"

// Reads one option after "zaph_op:" or "zaph_request:" into V; returns an error message.
inline std::string parseAnnotationOption(const std::string &A, const std::string &O,
                                         AnnotationValues &V) {
  const std::string Tier = "tier=", Timed = "timed", Target = "target=";
  if (O.compare(0, Tier.size(), Tier) == 0) {
    std::string Value = O.substr(Tier.size());
    if (Value == "1" || Value == "2" || Value == "3") {
      V.Tier = unsigned(Value[0] - '0');
      return "";
    }
    return "invalid tier '" + Value + "' in annotation '" + A + "': a tier is 1, 2 or 3";
  }
  if (O == Timed) {
    V.TimedLog2 = ZAPH_TIMED_DEFAULT_LOG2 + 1;
    return "";
  }
  if (O.compare(0, Timed.size() + 1, Timed + "=") == 0) {
    std::string Value = O.substr(Timed.size() + 1);
    if ((V.TimedLog2 = parseSampling(Value)))
      return "";
    return "invalid sampling '" + Value + "' in annotation '" + A +
           "': timed=N times one entry in N, a power of two from 1 to " +
           std::to_string(1ull << ZAPH_TIMED_MAX_LOG2);
  }
  if (O.compare(0, Target.size(), Target) == 0) {
    std::string Value = O.substr(Target.size());
    if (!(V.TargetNs = parseDuration(Value)))
      return "invalid target '" + Value + "' in annotation '" + A +
             "': a target is a duration from 1ns to " ZAPH_TARGET_MAX_TEXT
             ", such as 500ns, 20us, 3ms or 1s";
    if (!V.TimedLog2)
      V.TimedLog2 = ZAPH_TIMED_DEFAULT_LOG2 + 1; // a target is measured: it times the op
    return "";
  }
  return "unknown option '" + O + "' in annotation '" + A +
         "' (known: tier=1, tier=2, tier=3, timed, timed=N, target=DURATION)";
}

// Reads a zaph annotation into V: zaph_op or zaph_request, alone or followed by ':' and
// options separated by ',' (tier=N, timed, timed=N, target=500ns). Returns an error message,
// empty when valid.
inline std::string parseAnnotation(const std::string &A, AnnotationValues &V) {
  V = AnnotationValues();
  if (A == ZAPH_ANNOTATION_OP)
    return "";
  if (A == ZAPH_ANNOTATION_REQUEST) {
    V.Kind = ZAPH_KIND_REQUEST;
    return "";
  }
  const std::string Op = ZAPH_ANNOTATION_OP ":", Request = ZAPH_ANNOTATION_REQUEST ":";
  size_t At;
  if (A.compare(0, Op.size(), Op) == 0) {
    At = Op.size();
  } else if (A.compare(0, Request.size(), Request) == 0) {
    V.Kind = ZAPH_KIND_REQUEST;
    At = Request.size();
  } else {
    return "unknown annotation '" + A +
           "' (known: " ZAPH_ANNOTATION_OP ", " ZAPH_ANNOTATION_REQUEST ", and either with "
           "options, such as " ZAPH_ANNOTATION_OP ":tier=1,timed,target=500ns)";
  }
  for (;;) {
    size_t Comma = A.find(',', At);
    std::string Problem =
        parseAnnotationOption(A, A.substr(At, Comma == std::string::npos ? Comma : Comma - At), V);
    if (!Problem.empty() || Comma == std::string::npos)
      return Problem;
    At = Comma + 1;
  }
}

// The old form, for callers that read kind and tier only.
inline std::string parseAnnotation(const std::string &A, unsigned &Kind, unsigned &Tier) {
  AnnotationValues V;
  std::string Problem = parseAnnotation(A, V);
  Kind = V.Kind;
  Tier = V.Tier;
  return Problem;
}

// What a misspelt annotation is reported as meaning: the spelling if it is valid, else zaph_op.
inline std::string meantAnnotation(const std::string &Meant) {
  AnnotationValues V;
  return parseAnnotation(Meant, V).empty() ? Meant : ZAPH_ANNOTATION_OP;
}

} // namespace zaph

#endif
