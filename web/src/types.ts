/** Shapes of the API responses the dashboard reads (API.md). */

export interface User {
  id: string;
  email: string;
  full_name: string;
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface Domain {
  id: string;
  def_time: string;
  hostname: string;
  subdomain: string;
  identification_code: string;
  public: boolean;
  timezone: string | null;
  group_by_title: boolean;
  user_role: 'Owner' | 'Admin' | 'Viewer' | '';
  display_name?: string | null;
  active_visitors_seconds?: number | null;
}

export interface Figures {
  visitors: number;
  views: number;
  sessions: number;
  bounces: number;
  bounce_rate: number;
  cr?: number;
}

export interface Bucket extends Figures {
  day: string | null;
  week: string | null;
  month: string | null;
  year: string | null;
}

export interface HourRow extends Figures {
  hour: number;
}

export interface DurationRow {
  day: string | null;
  week: string | null;
  month: string | null;
  year: string | null;
  average_time_spent_seconds: number;
}

export interface Growth {
  visitors_growth: number;
  views_growth: number;
  sessions_growth: number;
  bounces_growth: number;
  time_spent_growth: number;
  cr_growth?: number;
}

export interface Active {
  visitors: number;
  stats: { path: string; title: string; visitors: number }[];
}

export interface GoalStats {
  page_goal: Goal;
  stats: { visitors: number; views: number; cr: number };
}

export interface Goal {
  id: string;
  name: string;
  path_pattern: string;
  pattern: string;
  visitor_goal: number | null;
  cr_goal: number | null;
  delete_reached: boolean;
  email_reached: boolean;
}

export interface Link {
  id: string;
  code: string;
  description: string;
  valid_until: string | null;
}

export interface Member {
  id: string;
  role: 'owner' | 'admin' | 'viewer';
  user: { id: string; email: string; full_name: string };
}

export interface Invitation {
  id: string;
  email: string;
  domain_id: string;
  expires_at?: string;
  accept_link?: string;
  domain?: Domain | null;
}

export interface Alternative {
  id: string;
  hostname: string;
}

export interface Client {
  id: string;
  type: 'oauth' | 'token';
  client_id: string;
  client_secret?: string;
  description: string;
  scope_hit: string;
  scope_event: string;
  scope_session: string;
  scope_statistics: string;
  scope_domains: string;
}

export interface Report {
  id: string;
  email: string;
  interval: number;
  next_report: string;
}

/** A loosely typed row of a ranked list. */
export type Row = Record<string, unknown>;
