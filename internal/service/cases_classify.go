package service

// Classifying a case (phân loại): a handler of the case sets its kind and
// category while it waits for acceptance or has just been accepted. The
// kind decides the law that applies and so the deadlines: a feedback found
// to be a complaint gets the acceptance period of the Law on Complaints
// from the day it was received; an accepted complaint found to be a
// denunciation gets the resolution period of the Law on Denunciations from
// the day it was accepted. A complaint or denunciation must name its
// author (same rule as intake, Submit).

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/store"
)

// Message keys of classification (casework.*.json).
const (
	MsgCaseClassifySame     = "casework.err.classify_same"
	MsgCaseClassifyIdentity = "casework.err.classify_identity"
	MsgCaseParentSelf       = "casework.err.parent_self"
)

// Classify sets a received or accepted case's kind and category (and, for
// a second-time complaint, the first complaint by its tracking code).
func (s *Cases) Classify(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepClassify, in)
}

// classify is what reclassifying case c makes of it: the new kind,
// category and parent, the deadlines that depend on the kind, the identity
// sealed again for the new kind, and the public event that tells the
// change.
func (s *Cases) classify(ctx context.Context, c Case, in CaseStep) (store.CaseChange, CaseEvent, error) {
	var v Validator
	kind := c.Kind
	if strings.TrimSpace(in.Kind) != "" {
		kind = v.Choice("kind", strings.TrimSpace(in.Kind), CaseKinds...)
	}
	category := c.Category
	if strings.TrimSpace(in.Category) != "" {
		category = v.Line("category", in.Category, 1, MaxCaseCategory)
	}
	publicNote := v.Text("public_note", in.PublicNote, 0, MaxCaseNote)
	internalNote := v.Text("internal_note", in.InternalNote, 0, MaxCaseNote)
	if !slices.Contains(stepFrom[StepClassify], c.Status) {
		v.Add("step", MsgCaseBadState)
	}
	parentCode := strings.ToUpper(strings.TrimSpace(in.ParentCode))
	switch {
	case kind != CaseComplaint2:
		parentCode = ""
	case parentCode == "" && c.Kind == CaseComplaint2 && c.ParentCaseID != 0:
		// Still a second-time complaint of the same first one.
	case parentCode == "":
		v.Add("parent_code", MsgCaseParentRequired)
	case !validTrackingCode(parentCode):
		v.Add("parent_code", MsgCaseParentNotFound)
	}
	if err := v.Err(); err != nil {
		return store.CaseChange{}, CaseEvent{}, err
	}
	fail := func(err error) (store.CaseChange, CaseEvent, error) { return store.CaseChange{}, CaseEvent{}, err }
	if category != c.Category {
		probe := c
		probe.Category = category
		if err := s.route(ctx, &probe, false); err != nil {
			return fail(err)
		}
	}
	parentID := c.ParentCaseID
	if kind != CaseComplaint2 {
		parentID = 0
	} else if parentCode != "" {
		parent, err := s.st.CaseByCode(ctx, parentCode)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fail(unavailable("case parent", err))
		}
		if err != nil || parent.Kind != CaseComplaint {
			return fail(Invalid("parent_code", MsgCaseParentNotFound))
		}
		if parent.ID == c.ID {
			return fail(Invalid("parent_code", MsgCaseParentSelf))
		}
		parentID = parent.ID
	}
	if kind == c.Kind && category == c.Category && parentID == c.ParentCaseID {
		return fail(Invalid("kind", MsgCaseClassifySame))
	}
	var ch store.CaseChange
	ch.Status = c.Status
	if kind != c.Kind {
		ch.Kind = &kind
		// The identity is sealed for the kind (seal): read it, check the
		// name and address a complaint or denunciation needs, seal it again.
		var ident *CaseIdentity
		if c.HasIdentity {
			enc, err := s.st.CaseIdentityEnc(ctx, c.ID)
			if err != nil {
				return fail(unavailable("case identity", err))
			}
			if ident, err = s.open(enc, c); err != nil {
				return fail(err)
			}
		}
		if named := kind == CaseDenunciation || kind == CaseComplaint || kind == CaseComplaint2; named &&
			(c.Anonymous || ident == nil || strings.TrimSpace(ident.Name) == "" || strings.TrimSpace(ident.Address) == "") {
			return fail(Invalid("kind", MsgCaseClassifyIdentity))
		}
		if ident != nil {
			next := c
			next.Kind = kind
			enc, err := s.seal(*ident, next)
			if err != nil {
				return fail(err)
			}
			ch.IdentityEnc = enc
		}
		// The deadlines of the new kind, from the day the running period
		// started: received for acceptance, accepted for resolution.
		switch c.Status {
		case CaseReceived:
			d := ""
			if key := acceptKey(kind); key != "" {
				var err error
				if d, err = s.due(ctx, key, c.ReceivedOn, c.Remote); err != nil {
					return fail(err)
				}
			}
			ch.AcceptDue = &d
		case CaseAccepted:
			d := ""
			if key := resolveKey(kind); key != "" {
				var err error
				if d, err = s.due(ctx, key, s.acceptedOn(ctx, c), c.Remote); err != nil {
					return fail(err)
				}
			}
			ch.ResolveDue = &d
		}
	}
	if category != c.Category {
		ch.Category = &category
	}
	if parentID != c.ParentCaseID {
		ch.ParentCaseID = &parentID
	}
	note, err := s.classifyNote(ctx, c, kind, category, publicNote)
	if err != nil {
		return fail(err)
	}
	return ch, CaseEvent{Action: StepClassify, Public: true, PublicNote: note, InternalNote: internalNote}, nil
}

// classifyNote is the public note of a classification, in Vietnamese like
// the handlers' notes: "Khiếu nại → Tố cáo", the category change, then the
// handler's own note.
func (s *Cases) classifyNote(ctx context.Context, c Case, kind, category, own string) (string, error) {
	l := i18n.Default().For("vi")
	var parts []string
	if kind != c.Kind {
		parts = append(parts, l.T("casework.classify.kind_change", l.T("cases.kind."+c.Kind), l.T("cases.kind."+kind)))
	}
	if category != c.Category {
		cats, err := s.categories.get(ctx, s.st.CaseCategories)
		if err != nil {
			return "", unavailable("case categories", err)
		}
		name := func(code string) string {
			if code == "" {
				return "—"
			}
			for _, x := range cats {
				if x.Code == code {
					return x.NameVi
				}
			}
			return code
		}
		parts = append(parts, l.T("casework.classify.category_change", name(c.Category), name(category)))
	}
	note := strings.Join(parts, "; ")
	switch {
	case note == "":
		note = own
	case own != "":
		note += ". " + own
	}
	return note, nil
}
