import { z } from 'zod';
import { id } from '../domain/common';
import type { TodayView } from '../domain/plan';
import type { OutOfServiceRow } from '../domain/work-order';
import { channel } from './channel';

/** The scheduler's lists: what is due, per ward and for the home screen. */
export const dueChannels = {
  /**
   * The home screen. `locationId` absent: the user's home ward, else this PC's ward, else all;
   * null: all locations.
   */
  /**
   * With the devices out of service there, per ward, with their work order's state and age (issue
   * 16): the first `outOfServiceLimit` of them (else `limit`), and how many there are (issue 17: a
   * hospital has hundreds). Each list has its own "Show more", so each its own limit.
   */
  'due.today': channel<TodayView & { outOfService: OutOfServiceRow[]; outOfServiceTotal: number }>()({
    input: z
      .object({
        locationId: id.nullable().optional(),
        limit: z.number().int().min(1).max(5000).optional(),
        outOfServiceLimit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    access: 'ward_staff',
    writes: false,
  }),
};
