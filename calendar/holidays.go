package calendar

import "duban"

// Holidays2024 are the public holidays of 2024 that fall on weekdays and the
// weekend days worked in exchange (调休), as the State Council announced them.
// Each year's are announced late in the year before: an office enters its own
// through the calendar API; this list serves the demo and the tests.
var Holidays2024 = []duban.CalendarDay{
	{Date: "2024-01-01", Name: "元旦"},
	{Date: "2024-02-04", Working: true, Name: "春节调休"},
	{Date: "2024-02-12", Name: "春节"}, {Date: "2024-02-13", Name: "春节"}, {Date: "2024-02-14", Name: "春节"},
	{Date: "2024-02-15", Name: "春节"}, {Date: "2024-02-16", Name: "春节"},
	{Date: "2024-02-18", Working: true, Name: "春节调休"},
	{Date: "2024-04-04", Name: "清明节"}, {Date: "2024-04-05", Name: "清明节"},
	{Date: "2024-04-07", Working: true, Name: "清明节调休"},
	{Date: "2024-04-28", Working: true, Name: "劳动节调休"},
	{Date: "2024-05-01", Name: "劳动节"}, {Date: "2024-05-02", Name: "劳动节"}, {Date: "2024-05-03", Name: "劳动节"},
	{Date: "2024-05-11", Working: true, Name: "劳动节调休"},
	{Date: "2024-06-10", Name: "端午节"},
	{Date: "2024-09-14", Working: true, Name: "中秋节调休"},
	{Date: "2024-09-16", Name: "中秋节"}, {Date: "2024-09-17", Name: "中秋节"},
	{Date: "2024-09-29", Working: true, Name: "国庆节调休"},
	{Date: "2024-10-01", Name: "国庆节"}, {Date: "2024-10-02", Name: "国庆节"}, {Date: "2024-10-03", Name: "国庆节"},
	{Date: "2024-10-04", Name: "国庆节"}, {Date: "2024-10-07", Name: "国庆节"},
	{Date: "2024-10-12", Working: true, Name: "国庆节调休"},
}
