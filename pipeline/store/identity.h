// Document identity for the store: which files are renditions of one
// document (what the document says: issuer + number + date, or issuer +
// type + title when unnumbered), which rendition is its reading (the
// reading.* rules), and the links identity implies between documents (an
// issued plan supersedes its draft; a correction or re-issue links to the
// document it corrects). Pure functions of their inputs.
#ifndef PLANTRACE_PIPELINE_STORE_IDENTITY_H_
#define PLANTRACE_PIPELINE_STORE_IDENTITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/doctree.h"
#include "pipeline/stages/record.h"

namespace plantrace {

// What the reading rules look at in one rendition.
struct RenditionFacts {
  std::string format;   // FormatName: docx | html | markdown | pdf | text
  bool tables = false;  // some task was read from a table with column headers
};

// A rendition's place in the reading preference: the sum of the scores of
// the reading.* rules it satisfies, and those rules' references.
struct ReadingRank {
  int score = 0;
  std::vector<std::string> rules;  // "reading.tables@<hash12>", ...
};

// True when rendition (a_score, a_sha) is a better reading than (b_score,
// b_sha): a higher score, else the smaller SHA-256.
bool BetterReading(int a_score, std::string_view a_sha, int b_score, std::string_view b_sha);

// The reading.* and identity.* rules of rules/identity.rules.
class IdentityRules {
 public:
  static Result<IdentityRules> Load(const RuleSet& rules);

  ReadingRank Rank(const RenditionFacts& facts) const;
  // Whether the first lines of a document mark it as a draft (an
  // identity.draft line, or an identity.blank_number line with an
  // identity.blank_date line); `rules` (may be null) gets the refs of the
  // rules that did.
  bool DraftMarked(const std::vector<SourceLine>& lines, std::vector<std::string>* rules = nullptr) const;
  // Relation a title's correction words give (corrects | reissues), "" none;
  // `rule` (may be null) gets the ref of the rule that matched.
  std::string Correction(std::string_view title, std::string* rule = nullptr) const;
  // Issuer folded (SearchKey) with abbreviations written out.
  std::string FoldIssuer(std::string_view issuer) const;

  // Runs one example / negative of a reading.* or identity.* rule (meaning
  // per family in rules/identity.rules). "" when it holds, else why not.
  std::string CheckExample(const Rule& rule, const RuleExample& ex) const;
  std::string CheckNegative(const Rule& rule, const RuleExample& neg) const;

 private:
  struct Reading {
    std::string ref;
    std::vector<std::string> formats;  // empty: any
    std::optional<bool> tables;
    int score = 0;
  };
  static bool Satisfies(const Reading& r, const RenditionFacts& f);
  static RenditionFacts ParseFacts(std::string_view text);

  std::string hash_;
  std::vector<Reading> reading_;
  std::vector<const Rule*> draft_, blank_number_, blank_date_, correction_;
  std::vector<std::pair<std::string, std::string>> abbreviations_;  // folded short -> folded long
};

// Identity of a document from what it says. Text fields are folded
// (SearchKey), so case, accents and spacing never split a document.
struct DocIdentity {
  std::string number_key;  // DocNumberKey; "" when unnumbered or the serial is blank
  std::string date;        // ISO; "" when not printed
  std::string issuer;      // IdentityRules::FoldIssuer
  std::string type;
  std::string title;
  bool draft = false;      // marked "Dự thảo", or number and day left blank
  std::string correction;  // "" | corrects | reissues (from the title)
  std::string rules;       // refs of the identity.* rules that set draft / correction, space separated

  // One line for people and for the store: "102/KH-UBND@2025-05-19 uy ban ..."
  // or "draft ke hoach|thuc hien ...@-".
  std::string Text() const;
};

// `rules` may be null (no abbreviations, no draft marks: tests and stores
// loaded without rules).
DocIdentity IdentityOf(const Meta& meta, const std::vector<SourceLine>& lines, const IdentityRules* rules);

// Two identities name the same document: same draft state, compatible
// issuers (equal, one absent, or one a word prefix of the other, as when a
// header drops the province), and either the same number and date, or,
// both unnumbered, the same type and title and no differing dates. An
// identity with neither number nor title names no other document.
bool SameDocument(const DocIdentity& a, const DocIdentity& b);

// Facts of a whole-document extraction for the reading rules.
RenditionFacts FactsOf(const Record& rec);

// A file is a plan document when it has one of a plan's marks: type line,
// number, issuer, title, a task or a reference.
bool IsPlanDocument(const Record& rec);

// ------------------------------------------------------------ links

struct IdentityDoc {
  int64_t id = 0;
  std::string key;  // DocumentKey, for ties
  DocIdentity identity;
};

// A link identity implies: `from` supersedes (or amends) `to` because
// `reason` (issued | corrects | reissues).
struct IdentityEdge {
  int64_t from = 0, to = 0;
  std::string relation;  // supersedes | amends
  std::string reason;
  std::string evidence;  // why, for people
  std::string rules;     // identity.* rule refs behind it ("" when it rests on number and date alone)
};

// Issued plans supersede their drafts (same issuer, type and title; the
// earliest issued one when several match); a document with the same number
// and issuer and a later date supersedes the earlier (reason: its title's
// correction word, else reissues); a document whose title corrects
// (đính chính) amends the first document it cites (`cited`: resolved
// references in position order, (from, to)). Sorted by (from, to); one edge
// per pair.
std::vector<IdentityEdge> IdentityRelations(const std::vector<IdentityDoc>& docs,
                                            const std::vector<std::pair<int64_t, int64_t>>& cited);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_IDENTITY_H_
