package web

import (
	"fmt"
	"net/http"
	"net/mail"
	"strings"

	"duban"
)

type userList struct {
	Users []*duban.User `json:"users"`
}

// handleUserIndex lists the accounts of the admin's organisation.
func (s *Server) handleUserIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	users, err := s.store.FindUsers(r.Context(), c.actor.OrgID)
	if err != nil {
		return fmt.Errorf("find users: %w", err)
	}
	return writeJSON(w, http.StatusOK, userList{Users: nonNil(users)})
}

type userCreateRequest struct {
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Password    string     `json:"password"`
	Role        duban.Role `json:"role"`
	UnitID      *int64     `json:"unit_id"`
	PersonID    *int64     `json:"person_id"`
	Email       string     `json:"email"`
	Mobile      string     `json:"mobile"`
}

// handleUserCreate adds an account to the admin's organisation. The password
// is hashed here and never stored or logged as given; the store checks the
// role and that a reporter has a unit.
func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req userCreateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	username, err := cleanUsername(req.Username)
	if err != nil {
		return err
	}
	display := strings.TrimSpace(req.DisplayName)
	if display == "" {
		display = username
	}
	if err := checkLength("显示名称", display, 50); err != nil {
		return err
	}
	if err := CheckPasswordPolicy(req.Password); err != nil {
		return err
	}
	hash, err := hashPassword(r.Context(), req.Password)
	if err != nil {
		return err
	}
	u := &duban.User{
		OrgID:        c.actor.OrgID,
		Username:     username,
		DisplayName:  display,
		PasswordHash: hash,
		Role:         req.Role,
		UnitID:       req.UnitID,
		PersonID:     req.PersonID,
	}
	if u.Email, err = cleanEmail(req.Email); err != nil {
		return err
	}
	if u.Mobile, err = cleanMobile(req.Mobile); err != nil {
		return err
	}
	if err := s.store.CreateUser(r.Context(), c.actor, u); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return writeJSON(w, http.StatusCreated, u)
}

// cleanUsername checks a user name: 1–64 characters without spaces or
// control characters.
func cleanUsername(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", duban.Errorf(duban.CodeInvalid, "用户名不能为空")
	}
	if err := checkLength("用户名", s, maxUsernameLen); err != nil {
		return "", err
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '\u3000' {
			return "", duban.Errorf(duban.CodeInvalid, "用户名不能包含空格或控制字符")
		}
	}
	return s, nil
}

type userUpdateRequest struct {
	DisplayName *string     `json:"display_name"`
	Password    *string     `json:"password"`
	Role        *duban.Role `json:"role"`
	UnitID      optionalID  `json:"unit_id"`
	PersonID    optionalID  `json:"person_id"`
	Disabled    *bool       `json:"disabled"`
	Email       *string     `json:"email"`
	Mobile      *string     `json:"mobile"`
}

// handleUserUpdate changes an account. A new password or disabling ends the
// user's sessions and revokes their API tokens (the store does, in the same
// transaction); a new role or unit holds from the user's next request, as
// nothing about a user is cached. An admin cannot disable or demote themself
// (someone must be left to undo it).
func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req userUpdateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	up := duban.UserUpdate{
		Role:     req.Role,
		UnitID:   req.UnitID.update(),
		PersonID: req.PersonID.update(),
		Disabled: req.Disabled,
	}
	if req.DisplayName != nil {
		display, err := cleanName("显示名称", *req.DisplayName, 50)
		if err != nil {
			return err
		}
		up.DisplayName = &display
	}
	if req.Email != nil {
		email, err := cleanEmail(*req.Email)
		if err != nil {
			return err
		}
		up.Email = &email
	}
	if req.Mobile != nil {
		mobile, err := cleanMobile(*req.Mobile)
		if err != nil {
			return err
		}
		up.Mobile = &mobile
	}
	if id == c.user.ID && ((req.Disabled != nil && *req.Disabled) || (req.Role != nil && *req.Role != duban.RoleAdmin)) {
		return duban.Errorf(duban.CodeInvalid, "不能停用自己的账号或取消自己的管理员角色")
	}
	if req.Password != nil {
		if err := CheckPasswordPolicy(*req.Password); err != nil {
			return err
		}
		hash, err := hashPassword(r.Context(), *req.Password)
		if err != nil {
			return err
		}
		up.PasswordHash = &hash
	}
	u, err := s.store.UpdateUser(r.Context(), c.actor, id, up)
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	return writeJSON(w, http.StatusOK, u)
}

// cleanEmail checks an e-mail address ("" for none).
func cleanEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", duban.Errorf(duban.CodeInvalid, "电子邮箱“%s”格式不对", s)
	}
	return s, nil
}

// cleanMobile checks a mainland mobile number ("" for none): 11 digits
// starting with 1, spaces and dashes allowed.
func cleanMobile(s string) (string, error) {
	s = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	if len(s) != 11 || s[0] != '1' || strings.Trim(s, "0123456789") != "" {
		return "", duban.Errorf(duban.CodeInvalid, "手机号码应为 11 位数字")
	}
	return s, nil
}
