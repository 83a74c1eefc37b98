package service

// SetHashHook makes a test see every password check start, with the number
// running at that moment.
func SetHashHook(a *Accounts, f func(running int)) { a.hashHook = f }
