package supervision

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"duban"
)

const evidenceColumns = `e.id, e.task_id, e.report_id, e.file_name, e.content_type, e.size, e.sha256,
	COALESCE(e.uploaded_by, 0), e.uploaded_at`

func (s *Store) scanEvidence(sc interface{ Scan(...any) error }) (*duban.Evidence, error) {
	e := &duban.Evidence{}
	err := sc.Scan(&e.ID, &e.TaskID, &e.ReportID, &e.FileName, &e.ContentType, &e.Size, &e.SHA256, &e.UploadedBy,
		s.d.ScanTime(&e.UploadedAt))
	return e, err
}

// AddEvidence stores a file backing a task's report (ReportID set: the
// task's report of that cycle) or its closure. The content is kept once by
// its SHA-256, which AddEvidence computes; the caller has checked its size and
// type. A reporter of a unit holding the task and the office may add evidence
// (CodeForbidden otherwise); a report already approved takes no more
// (CodeConflict).
func (s *Store) AddEvidence(ctx context.Context, a duban.Actor, e *duban.Evidence) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		t, err := s.task(tx, a, e.TaskID)
		if err != nil {
			return err
		}
		if !isOffice(a) && a.Role != duban.RoleReporter {
			return forbidden()
		}
		if e.ReportID != nil {
			var status string
			err := tx.QueryRow(`SELECT status FROM reports WHERE id = $1 AND task_id = $2`, *e.ReportID, e.TaskID).Scan(&status)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("报告")
			}
			if err != nil {
				return err
			}
			if status == string(duban.ReportApproved) {
				return duban.Errorf(duban.CodeConflict, "报告已审核通过，不能再添加佐证材料")
			}
		}
		if err := checkText("文件名", e.FileName, 200); err != nil {
			return err
		}
		sum := sha256.Sum256(e.Content)
		e.SHA256, e.Size = hex.EncodeToString(sum[:]), int64(len(e.Content))
		if _, err := tx.Exec(`INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
			e.SHA256, e.Size, e.Content); err != nil {
			return err
		}
		e.UploadedBy, e.UploadedAt = tx.Actor().UserID, tx.Now()
		err = tx.QueryRow(`INSERT INTO evidence (org_id, task_id, report_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			t.org, e.TaskID, e.ReportID, e.FileName, e.ContentType, e.Size, e.SHA256, actorRef(a), s.d.Time(e.UploadedAt)).Scan(&e.ID)
		if err != nil {
			return s.d.Err(err, "")
		}
		return tx.Audit(t.org, "evidence.add", "evidence", e.ID, nil, e)
	})
}

// FindEvidence returns the evidence of a task, for anyone who may see it.
func (s *Store) FindEvidence(ctx context.Context, a duban.Actor, taskID int64) (out []duban.Evidence, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if _, err := s.task(tx, a, taskID); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT `+evidenceColumns+` FROM evidence e WHERE e.task_id = $1 ORDER BY e.id`, taskID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []duban.Evidence{}
		for rows.Next() {
			e, err := s.scanEvidence(rows)
			if err != nil {
				return err
			}
			out = append(out, *e)
		}
		return rows.Err()
	})
	return out, err
}

// FindEvidenceContent returns one evidence file with its content, for anyone
// who may see its task; CodeNotFound otherwise.
func (s *Store) FindEvidenceContent(ctx context.Context, a duban.Actor, id int64) (e *duban.Evidence, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		e, err = s.scanEvidence(tx.QueryRow(`SELECT `+evidenceColumns+` FROM evidence e WHERE e.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("佐证材料")
		}
		if err != nil {
			return err
		}
		if _, err := s.task(tx, a, e.TaskID); err != nil {
			return notFound("佐证材料")
		}
		return tx.QueryRow(`SELECT content FROM blobs WHERE sha256 = $1`, e.SHA256).Scan(&e.Content)
	})
	return e, err
}
