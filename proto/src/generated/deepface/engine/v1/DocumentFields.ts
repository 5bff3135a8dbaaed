// Original file: deepface/engine/v1/engine.proto

export interface DocumentFields {
  surname?: string;
  given_names?: string;
  document_number?: string;
  birth_date?: string;
  expiry_date?: string;
  sex?: string;
}

export interface DocumentFields__Output {
  surname: string;
  given_names: string;
  document_number: string;
  birth_date: string;
  expiry_date: string;
  sex: string;
}
