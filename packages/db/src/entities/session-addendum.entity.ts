import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A correction to a signed session note: the note never changes; addenda carry author and time. */
@Entity('session_addendum')
export class SessionAddendum {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') noteId: string;
  @Column('text') body: string;
  @Column('uuid') authorId: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
