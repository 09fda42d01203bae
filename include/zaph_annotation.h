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

// Reads a zaph annotation into Kind and Tier; returns an error message, empty when valid.
inline std::string parseAnnotation(const std::string &A, unsigned &Kind, unsigned &Tier) {
  const std::string TierPrefix = ZAPH_ANNOTATION_TIER_PREFIX;
  Tier = 0;
  Kind = ZAPH_KIND_OP;
  if (A == ZAPH_ANNOTATION_OP)
    return "";
  if (A == ZAPH_ANNOTATION_REQUEST) {
    Kind = ZAPH_KIND_REQUEST;
    return "";
  }
  if (A.compare(0, TierPrefix.size(), TierPrefix) == 0) {
    std::string Value = A.substr(TierPrefix.size());
    if (Value == "1" || Value == "2" || Value == "3") {
      Tier = unsigned(Value[0] - '0');
      return "";
    }
    return "invalid tier '" + Value + "' in annotation '" + A + "': a tier is 1, 2 or 3";
  }
  return "unknown annotation '" + A +
         "' (known: " ZAPH_ANNOTATION_OP ", " ZAPH_ANNOTATION_REQUEST
         ", " ZAPH_ANNOTATION_TIER_PREFIX "1, " ZAPH_ANNOTATION_TIER_PREFIX
         "2, " ZAPH_ANNOTATION_TIER_PREFIX "3)";
}

// What a misspelt annotation is reported as meaning: the spelling if it is valid, else zaph_op.
inline std::string meantAnnotation(const std::string &Meant) {
  unsigned Kind, Tier;
  return parseAnnotation(Meant, Kind, Tier).empty() ? Meant : ZAPH_ANNOTATION_OP;
}

} // namespace zaph

#endif
